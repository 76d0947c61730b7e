// The tokenizer's Words: one small object per word. Its Range (three objects) is built each time
// something asks for it and not kept: a 100,000-line file holds half a million words, most are
// never located, and short-lived objects cost the garbage collector far less than kept ones.
// For the same reason a word keeps no end (its source text is `text`, so it ends `text.length`
// after it starts) and no line number of its own: it points at its line, which every word of
// the line shares (8 bytes less on each word, about 4 MB on a large file).
import type { EnvRef, Position, Range, Word } from '../ast/nodes.js';

/** Where a word's line stands. The parser's Line objects serve as their words' anchor. */
export interface LineAnchor {
  /** 0-based line number. */
  readonly line: number;
  /** Source offset of the line's first character. */
  readonly start: number;
}

/** A word that needed quote, escape or `${VAR}` handling: its value differs from its text. */
export class SourceWord implements Word {
  // `declare`: optional fields take no slot until set, keeping the common word small.
  declare offsets?: number[];
  declare splitFromExpansion?: boolean;
  declare envRefs?: EnvRef[];
  // A private field: out of sight of Object.keys and JSON.stringify, which would otherwise walk
  // from the word to its line and back.
  readonly #line: LineAnchor;

  constructor(
    public text: string,
    public value: string,
    public quoted: boolean,
    line: LineAnchor,
    private readonly from: number,
  ) {
    this.#line = line;
  }

  get range(): Range {
    return { start: this.startPosition(), end: this.endPosition() };
  }

  /** The start position, without building (and keeping) the whole range. */
  startPosition(): Position {
    return { line: this.#line.line, column: this.from - this.#line.start, offset: this.from };
  }

  endPosition(): Position {
    const to = this.from + this.text.length;
    return { line: this.#line.line, column: to - this.#line.start, offset: to };
  }
}

/**
 * A word written as is (no quote, escape or expansion), nine words in ten: its text is its value,
 * so it keeps one string and two fields fewer than a SourceWord (16 bytes on each of ~500,000
 * words of a large file, all kept as long as the AST).
 */
export class PlainWord implements Word {
  readonly #line: LineAnchor; // see SourceWord

  constructor(
    public value: string,
    line: LineAnchor,
    private readonly from: number,
  ) {
    this.#line = line;
  }

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
    return { line: this.#line.line, column: this.from - this.#line.start, offset: this.from };
  }

  endPosition(): Position {
    const to = this.from + this.value.length;
    return { line: this.#line.line, column: to - this.#line.start, offset: to };
  }
}

/** Where a word starts and ends, building as few objects as possible. */
export function wordSpan(first: Word, last: Word): Range {
  const start = first instanceof PlainWord || first instanceof SourceWord ? first.startPosition() : first.range.start;
  const end = last instanceof PlainWord || last instanceof SourceWord ? last.endPosition() : last.range.end;
  return { start, end };
}
