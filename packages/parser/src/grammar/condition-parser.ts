// The condition grammar (`if|unless term… [or term…]…`) over the words the line tokenizer
// produced. HAProxy conditions are in disjunctive normal form with no parentheses; `{ … }` holds
// an anonymous ACL whose words are taken verbatim up to the first `}`. The grammar is regular, so
// a hand-written loop parses it: no parser generator to load at start-up or to run per line.
//
//   condition := POLARITY group (OR group)*
//   group     := term*
//   term      := NOT* (NAME | '{' WORD* '}'?)     a trailing run of NOT alone is skipped, as HAProxy does
import type { AclRefTerm, AnonymousAclTerm, Condition, ConditionTerm, Range, Word } from '../ast/nodes.js';
import { EMPTY, exactSize, rangeInWord, spanRange, subWord } from '../ast/ranges.js';
import { wordSpan } from '../lexer/source-word.js';

// Terms and conditions keep words and indexes and build their ranges when read: a large file
// holds tens of thousands of terms and few of their ranges are ever wanted.

/** `acl`, `!acl` or `! acl`: the name runs from `nameFrom` to the end of `nameWord`. */
class RefTerm implements AclRefTerm {
  readonly kind = 'ref';
  constructor(
    public negated: boolean,
    public name: Word,
    private readonly nameWord: Word,
    private readonly nameFrom: number,
    /** The word holding the first `!`, if any, and its index there. */
    private readonly notWord: Word | undefined,
    private readonly notAt: number,
  ) {}

  get nameRange(): Range {
    return rangeInWord(this.nameWord, this.nameFrom, this.nameWord.value.length);
  }

  get range(): Range {
    const name = this.nameRange;
    return this.notWord ? spanRange(rangeInWord(this.notWord, this.notAt, this.notAt + 1), name) : name;
  }
}

class ConditionNode implements Condition {
  constructor(
    public polarity: 'if' | 'unless',
    public keyword: Word,
    public groups: ConditionTerm[][],
    public orWords: Word[],
    private readonly last: Word,
  ) {}

  get range(): Range {
    return wordSpan(this.keyword, this.last);
  }
}

export interface ConditionError {
  message: string;
  range: Range;
}

export interface ParsedCondition {
  condition: Condition;
  /** Anonymous ACLs as word lists, so the caller can parse each as an ACL expression. */
  anonymousWords: Map<AnonymousAclTerm, Word[]>;
  errors: ConditionError[];
}

/**
 * Parses `words` (the first being `if` or `unless`) into a condition tree. Never throws.
 * Words are classified by value, as HAProxy's `parse_acl_cond` does, so quoting does not matter.
 */
export function parseCondition(words: readonly Word[]): ParsedCondition {
  const errors: ConditionError[] = [];
  const anonymousWords = new Map<AnonymousAclTerm, Word[]>();
  // HAProxy stops at the first empty word: the argument list ends there.
  let end = words.length;
  for (let i = 1; i < words.length; i++) {
    if (words[i]!.value === '') {
      end = i;
      break;
    }
  }
  const first = words[0]!;
  const groups: ConditionTerm[][] = [];
  let orWords: Word[] | undefined;
  let terms: ConditionTerm[] = [];
  /** Pending `!` prefixes of the term being read: how many, and where the first stands. */
  let nots = 0;
  let notWord: Word | undefined;
  let notAt = 0;

  for (let i = 1; i < end; i++) {
    const word = words[i]!;
    const v = word.value;
    let k = 0;
    while (v.charCodeAt(k) === 33 /* ! */) {
      if (nots++ === 0) {
        notWord = word;
        notAt = k;
      }
      k++;
    }
    if (k === v.length) continue;
    const rest = k === 0 ? v : v.slice(k);
    if (rest === '||' || (rest.length === 2 && rest.toLowerCase() === 'or')) {
      // `!` just before `or` negates nothing: HAProxy skips it.
      groups.push(exactSize(terms));
      (orWords ??= []).push(word);
      terms = [];
    } else if (rest === '{') {
      i = readAnonymous(words, i, k, end, nots, notWord, notAt, terms, anonymousWords, errors);
    } else {
      const name = subWord(word, k);
      terms.push(new RefTerm(nots % 2 === 1, name, word, k, notWord, notAt));
    }
    nots = 0;
    notWord = undefined;
    notAt = 0;
  }
  groups.push(exactSize(terms));
  const polarity = first.value === 'unless' ? 'unless' : 'if';
  const condition = new ConditionNode(polarity, first, exactSize(groups), orWords ?? EMPTY, words[end - 1]!);
  return { condition, anonymousWords, errors };
}

/**
 * Reads `{ word… }` whose `{` is at index `k` of `words[open]`; returns the index of its last
 * word (the `}`, or the last word of the condition when the brace is never closed).
 */
function readAnonymous(
  words: readonly Word[],
  open: number,
  k: number,
  end: number,
  nots: number,
  notWord: Word | undefined,
  notAt: number,
  terms: ConditionTerm[],
  anonymousWords: Map<AnonymousAclTerm, Word[]>,
  errors: ConditionError[],
): number {
  const openWord = words[open]!;
  let close = open + 1;
  while (close < end && words[close]!.value !== '}') close++;
  const closed = close < end;
  const openRange = rangeInWord(openWord, k, k + 1);
  const startRange = nots > 0 ? rangeInWord(notWord!, notAt, notAt + 1) : openRange;
  const lastWord = words[close - 1]!;
  const lastRange = closed ? rangeInWord(words[close]!, 0, 1) : close - 1 > open ? rangeInWord(lastWord, 0, lastWord.value.length) : openRange;
  const term: AnonymousAclTerm = {
    kind: 'anonymous',
    negated: nots % 2 === 1,
    open: subWord(openWord, k),
    close: closed ? words[close] : undefined,
    range: spanRange(startRange, lastRange),
  };
  if (!closed) errors.push({ message: `missing closing '}' in condition; add a '}' word after the anonymous ACL`, range: openRange });
  anonymousWords.set(term, words.slice(open + 1, close));
  terms.push(term);
  return closed ? close : end - 1;
}
