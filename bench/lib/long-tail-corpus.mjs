/**
 * A long-tail Korean corpus: real sentences (the ordinary bench corpus) with fresh Hangul words mixed
 * in, made of random syllables so no word cache can have seen them (at least 15% of the words are
 * new). And a JSONL file holding one very long document, for memory per worker.
 */
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { once } from "node:events";
import readline from "node:readline";
import { rng } from "../../test/helpers/seeded-random.mjs";


async function writeLines(file, lines) {
  const out = createWriteStream(file);
  for await (const line of lines) if (!out.write(line + "\n")) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/** Writes `file` from `ordinary` (JSONL) with a fresh word after each word with probability `p`; returns the fresh-word share. */
export async function makeLongTailCorpus(ordinary, file, p = 0.2) {
  const random = rng(11);
  const syllable = () => String.fromCharCode(0xac00 + Math.floor(random() * 11172));
  let words = 0;
  let fresh = 0;
  async function* lines() {
    for await (const line of readline.createInterface({ input: createReadStream(ordinary) })) {
      const doc = JSON.parse(line);
      const out = [];
      for (const w of doc.text.split(" ")) {
        out.push(w);
        words++;
        if (random() < p) {
          let f = "";
          for (let n = 2 + Math.floor(random() * 3); n > 0; n--) f += syllable();
          out.push(f);
          fresh++;
          words++;
        }
      }
      yield JSON.stringify({ id: doc.id, text: out.join(" ") });
    }
  }
  if (!existsSync(file)) await writeLines(file, lines());
  return { file, freshShare: words ? fresh / words : null };
}

/** One document of about `bytes` UTF-8 bytes made of the corpus's texts (joined by spaces and newlines). */
export async function makeOneLongDocument(ordinary, file, bytes) {
  if (existsSync(file)) return file;
  const parts = [];
  let size = 0;
  while (size < bytes) {
    for await (const line of readline.createInterface({ input: createReadStream(ordinary) })) {
      const t = JSON.parse(line).text;
      parts.push(t);
      size += Buffer.byteLength(t) + 1;
      if (size >= bytes) break;
    }
  }
  await writeLines(file, [JSON.stringify({ id: "long", text: parts.map((t, i) => (i % 20 === 19 ? t + "\n" : t)).join(" ") })]);
  return file;
}
