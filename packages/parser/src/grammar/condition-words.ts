// How HAProxy's `parse_acl_cond` reads one word of a condition outside braces: by value (so
// quoting does not matter), after any leading `!`s, which each negate the term that follows.
// Shared by the Chevrotain tokens and the simple-shape fast path so both classify alike.

/** The word is only `!`s. */
export const WORD_NOTS_ONLY = 0;
/** `or` in any case, or `||`. */
export const WORD_OR = 1;
/** `{`, opening an anonymous ACL. */
export const WORD_OPEN = 2;
/** Anything else names an ACL (`}` outside braces too). */
export const WORD_NAME = 3;

export type ConditionWordKind = typeof WORD_NOTS_ONLY | typeof WORD_OR | typeof WORD_OPEN | typeof WORD_NAME;

/** How many `!` the word starts with. */
export function leadingNots(value: string): number {
  let k = 0;
  while (value.charCodeAt(k) === 33 /* ! */) k++;
  return k;
}

/** What the word is once its `nots` leading `!`s are set aside. */
export function classifyConditionWord(value: string, nots: number): ConditionWordKind {
  const length = value.length - nots;
  if (length === 0) return WORD_NOTS_ONLY;
  if (length === 2) {
    const a = value.charCodeAt(nots);
    const b = value.charCodeAt(nots + 1);
    if ((a === 124 && b === 124) /* || */ || ((a | 32) === 111 && (b | 32) === 114) /* or, any case */) return WORD_OR;
  }
  if (length === 1 && value.charCodeAt(nots) === 123 /* { */) return WORD_OPEN;
  return WORD_NAME;
}
