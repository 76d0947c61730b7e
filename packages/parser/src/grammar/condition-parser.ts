// The condition grammar (`if|unless term… [or term…]…`), a Chevrotain parser over the words
// the line tokenizer produced. HAProxy conditions are in disjunctive normal form with no
// parentheses; `{ … }` holds an anonymous ACL whose words are taken verbatim up to the first `}`.
// The common shapes skip the grammar (see simple-condition.ts); all others come here.
import type { IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain-runtime.js';
import type { AnonymousAclTerm, Condition, ConditionTerm, Range, Word } from '../ast/nodes.js';
import { EMPTY, exactSize, rangeInWord, spanRange, subWord } from '../ast/ranges.js';
import { ConditionNode, RefTerm } from './condition-nodes.js';
import { WORD_NOTS_ONLY, WORD_OPEN, WORD_OR, classifyConditionWord, leadingNots } from './condition-words.js';
import { readSimpleCondition } from './simple-condition.js';

const { createToken, createTokenInstance, EmbeddedActionsParser } = chevrotain;

const Polarity = createToken({ name: 'Polarity', pattern: /if|unless/ });
const Or = createToken({ name: 'Or', pattern: /or|\|\|/ });
const Not = createToken({ name: 'Not', pattern: /!/ });
const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
const AclName = createToken({ name: 'AclName', pattern: /[^\s]+/ });
const ExprWord = createToken({ name: 'ExprWord', pattern: /[^\s]+/ });
const allTokens = [Polarity, Or, Not, LCurly, RCurly, AclName, ExprWord];

/** What a term's parse gives back before words are attached. */
type TermShape =
  | { kind: 'ref'; nots: IToken[]; name: IToken }
  | { kind: 'anonymous'; nots: IToken[]; open: IToken; words: IToken[]; close?: IToken }
  | { kind: 'dangling'; nots: IToken[] };

interface ConditionShape {
  polarity: IToken;
  groups: TermShape[][];
  ors: IToken[];
}

class ConditionGrammar extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  condition = this.RULE('condition', (): ConditionShape => {
    const polarity = this.CONSUME(Polarity);
    const groups: TermShape[][] = [this.SUBRULE(this.andGroup)];
    const ors: IToken[] = [];
    this.MANY(() => {
      ors.push(this.CONSUME(Or));
      groups.push(this.SUBRULE2(this.andGroup));
    });
    return { polarity, groups, ors };
  });

  private andGroup = this.RULE('andGroup', (): TermShape[] => {
    const terms: TermShape[] = [];
    this.MANY(() => terms.push(this.SUBRULE(this.term)));
    return terms;
  });

  private term = this.RULE('term', (): TermShape => {
    const nots: IToken[] = [];
    this.MANY(() => nots.push(this.CONSUME(Not)));
    return this.OR([
      { ALT: () => ({ kind: 'ref' as const, nots, name: this.CONSUME(AclName) }) },
      { ALT: () => this.SUBRULE(this.anonymous, { ARGS: [nots] }) },
      // `!` at the very end of a condition: HAProxy skips it.
      { GATE: () => nots.length > 0, ALT: () => ({ kind: 'dangling' as const, nots }) },
    ]);
  });

  private anonymous = this.RULE('anonymous', (nots: IToken[]): TermShape => {
    const open = this.CONSUME(LCurly);
    const words: IToken[] = [];
    this.MANY(() => words.push(this.CONSUME(ExprWord)));
    let close: IToken | undefined;
    this.OPTION(() => (close = this.CONSUME(RCurly)));
    return { kind: 'anonymous', nots, open, words, close };
  });
}

/**
 * Recorded once per process, on first use: Chevrotain's grammar analysis is the expensive part,
 * and files whose conditions all have the simple shape never need it.
 */
let recorded: ConditionGrammar | undefined;

export interface ConditionError {
  message: string;
  range: Range;
}

/**
 * Turns each word into a token whose `payload` is the word index, classified by
 * `classifyConditionWord`. A token's offsets are positions in its word's value; source ranges
 * are built only for the pieces the condition tree keeps.
 */
function toTokens(words: readonly Word[], from: number, end: number): IToken[] {
  const tokens: IToken[] = [];
  const push = (type: TokenType, word: number, from: number, to: number): void => {
    const t = createTokenInstance(type, words[word]!.value.slice(from, to), from, to, NaN, NaN, NaN, NaN);
    t.payload = word;
    tokens.push(t);
  };
  push(Polarity, from, 0, words[from]!.value.length);
  let inBraces = false;
  for (let i = from + 1; i < end; i++) {
    const v = words[i]!.value;
    if (inBraces) {
      if (v === '}') {
        push(RCurly, i, 0, 1);
        inBraces = false;
      } else push(ExprWord, i, 0, v.length);
      continue;
    }
    const k = leadingNots(v);
    for (let n = 0; n < k; n++) push(Not, i, n, n + 1);
    const kind = classifyConditionWord(v, k);
    if (kind === WORD_NOTS_ONLY) continue;
    if (kind === WORD_OR) push(Or, i, k, v.length);
    else if (kind === WORD_OPEN) {
      push(LCurly, i, k, v.length);
      inBraces = true;
    } else push(AclName, i, k, v.length);
  }
  return tokens;
}

export interface ParsedCondition {
  condition: Condition;
  /** Anonymous ACLs as word lists, so the caller can parse each as an ACL expression. */
  anonymousWords: Map<AnonymousAclTerm, Word[]>;
  errors: ConditionError[];
}

/**
 * Parses `words` from index `from` (the first being `if` or `unless`) into a condition tree.
 * Never throws.
 */
export function parseCondition(words: readonly Word[], from = 0): ParsedCondition {
  const parsed = readCondition(words, from);
  return { condition: parsed.condition, anonymousWords: parsed.anonymousWords ?? new Map(), errors: parsed.errors ?? [] };
}

/** A parsed condition whose anonymous ACLs and errors are left out when there are none. */
export interface ConditionParts {
  condition: Condition;
  anonymousWords?: Map<AnonymousAclTerm, Word[]>;
  errors?: ConditionError[];
}

/**
 * parseCondition without the empty map and list that nearly every condition would otherwise
 * get (measurable over the tens of thousands of conditions of a large file).
 */
export function readCondition(words: readonly Word[], from: number): ConditionParts {
  // HAProxy stops at the first empty word: the argument list ends there.
  let end = from + 1;
  while (end < words.length && words[end]!.value !== '') end++;
  return readSimpleCondition(words, from, end) ?? parseWithGrammar(words, from, end);
}

/** The Chevrotain parse of `words[from, end)`; exported for the test that compares it with the fast path. */
export function parseWithGrammar(words: readonly Word[], from: number, end: number): ParsedCondition {
  const errors: ConditionError[] = [];
  const anonymousWords = new Map<AnonymousAclTerm, Word[]>();
  const grammar = (recorded ??= new ConditionGrammar());
  grammar.input = toTokens(words, from, end);
  const shape = grammar.condition();
  const first = words[from]!;
  const last = words[end - 1]!;
  if (grammar.errors.length > 0 || !shape) {
    const bad = grammar.errors[0]?.token;
    const word = bad && typeof bad.payload === 'number' ? words[bad.payload]! : last;
    errors.push({ message: `unexpected '${word.value}' in condition`, range: word.range });
  }
  const wordOf = (t: IToken): Word => words[t.payload as number]!;
  // `| 0`: Chevrotain's token fields hold doubles (its EOF token is made with NaN), and one
  // double stored in a Position turns every Position's column/offset into a boxed heap number.
  const tokenRange = (t: IToken): Range => rangeInWord(wordOf(t), t.startOffset | 0, t.endOffset! | 0);
  const groups: ConditionTerm[][] = [];
  for (const g of shape?.groups ?? []) {
    const terms: ConditionTerm[] = [];
    for (const t of g) {
      const negated = t.nots.length % 2 === 1;
      if (t.kind === 'ref') {
        const word = wordOf(t.name);
        const nameFrom = t.name.startOffset | 0; // see tokenRange
        const name = subWord(word, word.value.length - t.name.image.length);
        const not = t.nots[0];
        terms.push(new RefTerm(negated, name, word, nameFrom, not && wordOf(not), not ? not.startOffset | 0 : 0));
      } else if (t.kind === 'anonymous') {
        const startRange = t.nots.length > 0 ? tokenRange(t.nots[0]!) : undefined;
        const openRange = tokenRange(t.open);
        const lastRange = t.close ? tokenRange(t.close) : t.words.length ? tokenRange(t.words[t.words.length - 1]!) : openRange;
        const term: AnonymousAclTerm = {
          kind: 'anonymous',
          negated,
          open: subWord(wordOf(t.open), wordOf(t.open).value.length - 1),
          close: t.close ? wordOf(t.close) : undefined,
          range: spanRange(startRange ?? openRange, lastRange),
        };
        if (!t.close) errors.push({ message: `missing closing '}' in condition; add a '}' word after the anonymous ACL`, range: openRange });
        anonymousWords.set(term, t.words.map(wordOf));
        terms.push(term);
      }
    }
    groups.push(exactSize(terms));
  }
  const polarity = first.value === 'unless' ? 'unless' : 'if';
  const orWords = shape && shape.ors.length > 0 ? shape.ors.map(wordOf) : EMPTY;
  const condition = new ConditionNode(polarity, first, exactSize(groups), orWords, last);
  return { condition, anonymousWords, errors };
}
