/**
 * A batch of texts as it travels to a worker thread: joined into one string, plus the lengths.
 * Cloning one long string is a single copy; cloning thousands of short strings costs several
 * times more on the main thread, which also has to read and parse the input.
 */
export interface PackedTexts {
  joined: string;
  lengths: Uint32Array;
}

export function packTexts(texts: readonly string[]): PackedTexts {
  return { joined: texts.join(""), lengths: Uint32Array.from(texts, (t) => t.length) };
}

export function unpackTexts({ joined, lengths }: PackedTexts): string[] {
  const texts: string[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    texts[i] = joined.slice(at, at + lengths[i]!);
    at += lengths[i]!;
  }
  return texts;
}
