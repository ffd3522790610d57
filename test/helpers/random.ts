// Reproducible random input for the encoders' byte-for-byte tests: a seeded generator, so that a
// failure repeats, and strings that mix ASCII with 2-, 3- and 4-byte UTF-8 and lone surrogates.

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabets = ['abcdefghijklmnopqrstuvwxyz.-_/0123456789', 'äöüßéèàç€', '日本語中文한국어', '🚀✓😀', '\ud800\udc00\udfff'];

/** Up to maxLength characters, mostly ASCII, otherwise from one of the wider alphabets. */
export function randomString(random: () => number, maxLength: number): string {
  const alphabet = [...alphabets[random() < 0.7 ? 0 : Math.floor(random() * alphabets.length)]!];
  let text = '';
  const length = Math.floor(random() * maxLength);
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}
