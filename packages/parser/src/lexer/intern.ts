// Recently seen short strings, by a hash of their characters. A configuration repeats the same
// few strings: keywords, options, numbers, indents, fetch and action names, log-format pieces.
// 500,000 words of the 100,000-line benchmark are 79,000 distinct strings. Reusing the string
// already made saves the copy and, above all, keeps the retained heap small, since these strings
// live as long as the AST.

const INTERN_SLOTS = 1 << 14;
const INTERN_MAX_LENGTH = 40;
const interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
const internedHash = new Int32Array(INTERN_SLOTS);

/** The hash `internSlice` expects, one character at a time: start from 0. */
export function hashStep(hash: number, c: number): number {
  return (hash * 31 + c) | 0;
}

/**
 * `text.slice(from, to)`, or an equal string made before. `hash` is any function of the
 * characters (equal strings must get equal hashes to be shared); `hashStep` is the usual one.
 */
export function internSlice(text: string, from: number, to: number, hash: number): string {
  const length = to - from;
  if (length > INTERN_MAX_LENGTH) return text.slice(from, to);
  const slot = (hash ^ (hash >>> 14) ^ (length << 9)) & (INTERN_SLOTS - 1);
  const known = interned[slot];
  if (known !== undefined && internedHash[slot] === hash && known.length === length && sameChars(text, from, known)) return known;
  const made = text.slice(from, to);
  interned[slot] = made;
  internedHash[slot] = hash;
  return made;
}

/** `internSlice` computing the usual hash itself. */
export function intern(text: string, from: number, to: number): string {
  let hash = 0;
  for (let k = from; k < to; k++) hash = hashStep(hash, text.charCodeAt(k));
  return internSlice(text, from, to, hash);
}

/** Whether `text` holds `known` at `from` (a loop the compiler inlines, unlike `startsWith`). */
function sameChars(text: string, from: number, known: string): boolean {
  for (let k = 0; k < known.length; k++) if (text.charCodeAt(from + k) !== known.charCodeAt(k)) return false;
  return true;
}
