/** Polls a condition about the world outside (a file, a queue) until it holds. */
export async function until(what: string, condition: () => boolean, limitMs = 120_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
