// Compact implementations of the AST's Line, Section and Statement: one object each, with the
// Range (three more objects) built on first use. A 100,000-line file has 100,000 lines and
// statements, and most ranges are only ever wanted for the few lines a diagnostic points at.
import type { Comment, Condition, Line, LineKind, LogFormat, Range, RuleSet, SampleExpr, Section, SectionKind, Statement, Word } from '../ast/nodes.js';
import type { KeywordSpec } from '../catalogue/types.js';
import { EMPTY, spanRange } from '../ast/ranges.js';
import { wordSpan, type LineAnchor } from '../lexer/source-word.js';

export class SourceLine implements Line, LineAnchor {
  declare comment?: Comment;
  declare private cachedRange?: Range;
  kind: LineKind;
  indent: string;
  words: Word[];
  private contentEnd: number;

  /**
   * Made before the line is tokenized, so that its words can point at it for their line number
   * and start (see source-word.ts); `setContent` then fills in what the tokenizer found.
   */
  constructor(
    public line: number,
    readonly start: number,
    public active: boolean,
  ) {
    this.kind = 'blank';
    this.indent = '';
    this.words = EMPTY;
    this.contentEnd = start;
  }

  /** `contentEnd`: where the line's text ends, before any CR. */
  setContent(kind: LineKind, indent: string, words: Word[], contentEnd: number): void {
    this.kind = kind;
    this.indent = indent;
    this.words = words;
    this.contentEnd = contentEnd;
  }

  get range(): Range {
    return (this.cachedRange ??= {
      start: { line: this.line, column: 0, offset: this.start },
      end: { line: this.line, column: this.contentEnd - this.start, offset: this.contentEnd },
    });
  }
}

/**
 * A section, whose range (from the header to its last line that is not blank) is built when read:
 * building it when the section closes would also build and keep the ranges of both lines, for
 * each of thousands of sections, when few section ranges are ever wanted.
 */
export class SectionNode implements Section {
  statements: Statement[];
  // Private: out of sight of Object.keys and JSON.stringify, like the range it stands for.
  #last: Line;

  constructor(
    public kind: SectionKind,
    public header: Line,
    public keyword: Word,
    public name: Word | undefined,
    public from: Word | undefined,
    public file: string,
  ) {
    this.statements = [];
    this.#last = header;
  }

  /** Records the section's last line that is not blank, when the next section opens or the file ends. */
  closeAt(last: Line): void {
    this.#last = last;
  }

  get range(): Range {
    return spanRange(this.header.range, this.#last.range);
  }
}

/** Shared by statements with no expression until one is found (most of them). */
export const NONE: never[] = EMPTY;

/** Every statement, whatever its type, is one of these: a single hidden class for V8. */
export class StatementNode {
  samples: { argIndex: number; expr: SampleExpr }[] = NONE;
  logFormats: { argIndex: number; format: LogFormat }[] = NONE;
  // ACL statements
  name: Word | undefined = undefined;
  expr: unknown = undefined;
  // Rule statements
  ruleSet: RuleSet | undefined = undefined;
  action: Word | undefined = undefined;
  actionName = '';
  actionArgs: Word[] = NONE;
  keywordSpec: KeywordSpec | undefined = undefined;
  declare private cachedRange?: Range;

  constructor(
    public type: Statement['type'],
    public line: Line,
    public keywordWords: Word[],
    public keyword: string,
    public modifier: Word | undefined,
    public args: Word[],
    public condition: Condition | undefined,
  ) {}

  get range(): Range {
    if (this.cachedRange) return this.cachedRange;
    const words = this.line.words;
    return (this.cachedRange = words.length ? wordSpan(words[0]!, words[words.length - 1]!) : this.line.range);
  }
}
