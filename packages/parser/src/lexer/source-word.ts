// The tokenizer's Words: one small object per word. Its Range (three objects) is built each time
// something asks for it and not kept: a 100,000-line file holds half a million words, most are
// never located, and short-lived objects cost the garbage collector far less than kept ones.
// For the same reason a word keeps no end: its source text is `text`, so it ends `text.length`
// after it starts.
import type { EnvRef, Position, Range, Word } from '../ast/nodes.js';

/** A word that needed quote, escape or `${VAR}` handling: its value differs from its text. */
export class SourceWord implements Word {
  // `declare`: optional fields take no slot until set, keeping the common word small.
  declare offsets?: number[];
  declare splitFromExpansion?: boolean;
  declare envRefs?: EnvRef[];

  constructor(
    public text: string,
    public value: string,
    public quoted: boolean,
    private readonly lineNo: number,
    private readonly from: number,
    private readonly lineStart: number,
  ) {}

  private get to(): number {
    return this.from + this.text.length;
  }

  get range(): Range {
    return { start: this.startPosition(), end: this.endPosition() };
  }

  /** The start position, without building (and keeping) the whole range. */
  startPosition(): Position {
    return { line: this.lineNo, column: this.from - this.lineStart, offset: this.from };
  }

  endPosition(): Position {
    return { line: this.lineNo, column: this.to - this.lineStart, offset: this.to };
  }
}

/**
 * A word written as is (no quote, escape or expansion), nine words in ten: its text is its value,
 * so it keeps one string and two fields fewer than a SourceWord (16 bytes on each of ~500,000
 * words of a large file, all kept as long as the AST).
 */
export class PlainWord implements Word {
  constructor(
    public value: string,
    private readonly lineNo: number,
    private readonly from: number,
    private readonly lineStart: number,
  ) {}

  get text(): string {
    return this.value;
  }

  get quoted(): boolean {
    return false;
  }

  get range(): Range {
    return { start: this.startPosition(), end: this.endPosition() };
  }

  startPosition(): Position {
    return { line: this.lineNo, column: this.from - this.lineStart, offset: this.from };
  }

  endPosition(): Position {
    const to = this.from + this.value.length;
    return { line: this.lineNo, column: to - this.lineStart, offset: to };
  }
}

/** Where a word starts and ends, building as few objects as possible. */
export function wordSpan(first: Word, last: Word): Range {
  const start = first instanceof PlainWord || first instanceof SourceWord ? first.startPosition() : first.range.start;
  const end = last instanceof PlainWord || last instanceof SourceWord ? last.endPosition() : last.range.end;
  return { start, end };
}
