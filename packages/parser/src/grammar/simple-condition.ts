// Nearly every condition is a list of ACL names, some negated with `!`, maybe split by `or`/`||`:
// `if acl_a !acl_b || acl_c`. For exactly that shape the grammar's tree is known beforehand: one
// reference term per name, a new AND-group at each `or`, no error. This builds it directly, with
// the grammar's own node classes, at a fraction of a Chevrotain run (which costs about as much
// as tokenizing the whole line). Any other shape, such as braces, a `!` standing alone or before
// `or`, an empty group or a leading or trailing `or`, goes to the grammar. A test checks that
// both give the same tree for every condition this accepts.
import type { Condition, ConditionTerm, Word } from '../ast/nodes.js';
import { EMPTY, exactSize, subWord } from '../ast/ranges.js';
import { ConditionNode, RefTerm } from './condition-nodes.js';
import { WORD_NAME, WORD_OR, classifyConditionWord, leadingNots } from './condition-words.js';

/**
 * The condition in `words[from, end)` (`words[from]` being `if` or `unless`) when it has the
 * simple shape; undefined otherwise, for the grammar to parse.
 */
export function readSimpleCondition(words: readonly Word[], from: number, end: number): Condition | undefined {
  const groups: ConditionTerm[][] = [];
  let orWords: Word[] | undefined;
  let terms: ConditionTerm[] = [];
  for (let i = from + 1; i < end; i++) {
    const word = words[i]!;
    const nots = leadingNots(word.value);
    const kind = classifyConditionWord(word.value, nots);
    if (kind === WORD_NAME) {
      // `!!acl`: the nots and the name are all in this word, the first `!` at index 0.
      terms.push(new RefTerm(nots % 2 === 1, subWord(word, nots), word, nots, nots > 0 ? word : undefined, 0));
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
  return new ConditionNode(polarity, first, exactSize(groups), orWords ? exactSize(orWords) : EMPTY, words[end - 1]!);
}
