// Nearly every condition is a list of terms, each an ACL name or a braced anonymous ACL, negated
// by `!`s written against it, the groups split by `or`/`||`: `if a !b || c { path_beg /x }`.
// For exactly that shape the grammar's tree is known beforehand: one term per name or `{ … }`, a
// new AND-group at each `or`, no error. This builds it directly, the way parseWithGrammar builds
// it from the grammar's output, at a small fraction of a Chevrotain run (tens of microseconds
// each before the JIT warms up). Any other shape goes to the grammar: a `!` standing alone or
// before `or`, a `{` without its `}`, an empty group, a leading or trailing `or`. A test checks
// that both give the same tree for every condition this accepts.
import type { AnonymousAclTerm, Condition, ConditionTerm, Word } from '../ast/nodes.js';
import { EMPTY, exactSize, rangeInWord, spanRange, subWord } from '../ast/ranges.js';
import { ConditionNode, RefTerm } from './condition-nodes.js';
import { WORD_NAME, WORD_OPEN, WORD_OR, classifyConditionWord, leadingNots } from './condition-words.js';

export interface SimpleCondition {
  condition: Condition;
  /** The words inside each anonymous ACL's braces; undefined when there is none (most often). */
  anonymousWords: Map<AnonymousAclTerm, Word[]> | undefined;
}

/**
 * The condition in `words[from, end)` (`words[from]` being `if` or `unless`) when it has the
 * simple shape; undefined otherwise, for the grammar to parse.
 */
export function readSimpleCondition(words: readonly Word[], from: number, end: number): SimpleCondition | undefined {
  const groups: ConditionTerm[][] = [];
  let anonymousWords: Map<AnonymousAclTerm, Word[]> | undefined;
  let orWords: Word[] | undefined;
  let terms: ConditionTerm[] = [];
  for (let i = from + 1; i < end; i++) {
    const word = words[i]!;
    // Any `!`s are in this word, before the name or `{`: the first one is at index 0.
    const nots = leadingNots(word.value);
    const kind = classifyConditionWord(word.value, nots);
    if (kind === WORD_NAME) {
      terms.push(new RefTerm(nots % 2 === 1, subWord(word, nots), word, nots, nots > 0 ? word : undefined, 0));
    } else if (kind === WORD_OPEN) {
      // Inside braces every word is the ACL's, up to the first `}` word.
      let close = i + 1;
      while (close < end && words[close]!.value !== '}') close++;
      if (close === end) return undefined;
      const openRange = rangeInWord(word, nots, nots + 1);
      const term: AnonymousAclTerm = {
        kind: 'anonymous',
        negated: nots % 2 === 1,
        open: subWord(word, nots),
        close: words[close]!,
        range: spanRange(nots > 0 ? rangeInWord(word, 0, 1) : openRange, rangeInWord(words[close]!, 0, 1)),
      };
      (anonymousWords ??= new Map()).set(term, words.slice(i + 1, close));
      terms.push(term);
      i = close;
    } else if (kind === WORD_OR && nots === 0 && terms.length > 0) {
      groups.push(exactSize(terms));
      terms = [];
      (orWords ??= []).push(word);
    } else {
      return undefined;
    }
  }
  if (terms.length === 0) return undefined;
  groups.push(exactSize(terms));
  const first = words[from]!;
  const polarity = first.value === 'unless' ? 'unless' : 'if';
  const condition = new ConditionNode(polarity, first, exactSize(groups), orWords ? exactSize(orWords) : EMPTY, words[end - 1]!);
  return { condition, anonymousWords };
}
