// The condition tree's node classes, shared by the Chevrotain grammar and the simple-shape fast
// path so both build the very same objects.
import type { AclRefTerm, Condition, ConditionTerm, Range, Word } from '../ast/nodes.js';
import { rangeInWord, spanRange } from '../ast/ranges.js';
import { wordSpan } from '../lexer/source-word.js';

// Terms and conditions keep words and indexes and build their ranges when read: a large file
// holds tens of thousands of terms and few of their ranges are ever wanted.

/** `acl`, `!acl` or `! acl`: the name runs from `nameFrom` to the end of `nameWord`. */
export class RefTerm implements AclRefTerm {
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

export class ConditionNode implements Condition {
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
