// The tokenizer's Word: one small object per word. Its Range (three objects) is built only
// when something asks for it, because a 100,000-line file holds half a million words and most
// are never located by anyone.
import type { EnvRef, Range, Word } from '../ast/nodes.js';

export class SourceWord implements Word {
  offsets?: number[];
  splitFromExpansion?: boolean;
  envRefs?: EnvRef[];
  private cachedRange: Range | undefined;

  constructor(
    public text: string,
    public value: string,
    public quoted: boolean,
    private readonly lineNo: number,
    private readonly from: number,
    private readonly to: number,
    private readonly lineStart: number,
  ) {}

  get range(): Range {
    return (this.cachedRange ??= {
      start: { line: this.lineNo, column: this.from - this.lineStart, offset: this.from },
      end: { line: this.lineNo, column: this.to - this.lineStart, offset: this.to },
    });
  }
}
