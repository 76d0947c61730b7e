// Where positions of the old text stand in the new one, for one replaced span
// [start, oldEnd) → [start, newEnd). Positions before the span stay, positions after it move;
// a position inside it has no counterpart, and neither does a range touching the span from the
// wrong side, so callers fall back to a full analysis rather than guess.
import type { Position, Range } from '../ast/nodes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export class EditShift {
  readonly delta: number;
  readonly lineDelta: number;
  /** Line of the old span's end, and how far columns after it on that line move. */
  private readonly endLine: number;
  private readonly columnDelta: number;

  constructor(
    readonly start: number,
    readonly oldEnd: number,
    newEnd: number,
    oldEndPosition: { line: number; column: number },
    newEndPosition: { line: number; column: number },
  ) {
    this.delta = newEnd - oldEnd;
    this.lineDelta = newEndPosition.line - oldEndPosition.line;
    this.endLine = oldEndPosition.line;
    this.columnDelta = newEndPosition.column - oldEndPosition.column;
  }

  private moved(p: Position): Position {
    return { line: p.line + this.lineDelta, column: p.line === this.endLine ? p.column + this.columnDelta : p.column, offset: p.offset + this.delta };
  }

  /** A range's start: an insertion point counts as before what follows it. */
  private mapStart(p: Position): Position | undefined {
    const x = p.offset;
    if (x < this.start) return p;
    if (x > this.oldEnd || x === this.oldEnd) return this.moved(p);
    return undefined;
  }

  /** A range's end: an insertion point counts as after what precedes it. */
  private mapEnd(p: Position): Position | undefined {
    const x = p.offset;
    if (x <= this.start) return p;
    if (x > this.oldEnd) return this.moved(p);
    return undefined;
  }

  mapRange(r: Range): Range | undefined {
    if (r.end.offset < this.start) return r;
    // An empty range at the span could belong to either side.
    if (r.start.offset === r.end.offset && r.start.offset >= this.start && r.start.offset <= this.oldEnd) return undefined;
    const start = this.mapStart(r.start);
    const end = this.mapEnd(r.end);
    if (!start || !end) return undefined;
    return start === r.start && end === r.end ? r : { start, end };
  }

  /** The diagnostic with every range mapped (the same object when nothing moves), or undefined. */
  mapDiagnostic(d: Diagnostic): Diagnostic | undefined {
    const range = this.mapRange(d.range);
    if (!range) return undefined;
    let changed = range !== d.range;
    let related = d.related;
    if (related) {
      const mapped: NonNullable<Diagnostic['related']> = [];
      for (const r of related) {
        const rr = this.mapRange(r.range);
        if (!rr) return undefined;
        changed ||= rr !== r.range;
        mapped.push(rr === r.range ? r : { ...r, range: rr });
      }
      related = mapped;
    }
    let fixes = d.fixes;
    if (fixes) {
      const mapped: NonNullable<Diagnostic['fixes']> = [];
      for (const fix of fixes) {
        const edits = [];
        for (const e of fix.edits) {
          const er = this.mapRange(e.range);
          if (!er) return undefined;
          changed ||= er !== e.range;
          edits.push(er === e.range ? e : { ...e, range: er });
        }
        mapped.push({ ...fix, edits });
      }
      fixes = mapped;
    }
    if (!changed) return d;
    const out: Diagnostic = { ...d, range };
    if (related) out.related = related;
    if (fixes) out.fixes = fixes;
    return out;
  }

  /**
   * Whether a text written from positions (a message's "line 12") may name a line the edit
   * moved: any number at least the first moved line, 1-based. Only asked when lines move.
   */
  mayNameMovedLine(text: string, firstMovedLine: number): boolean {
    for (const m of text.matchAll(/\d+/g)) if (Number(m[0]) >= firstMovedLine + 1) return true;
    return false;
  }
}

/** Line and column of `offset` in `text`, counting from `base` (the position of text[0]). */
export function positionIn(text: string, offset: number, base: { line: number; column: number }): { line: number; column: number } {
  let line = base.line;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i;
  }
  return { line, column: lineStart < 0 ? base.column + offset : offset - lineStart - 1 };
}

/** One edit of a segment's text, seen from the segment (relative) and from the document (absolute). */
export interface SegmentEdit {
  relative: EditShift;
  absolute: EditShift;
  /** The 0-based line of the document where the changed span starts. */
  line: number;
  /** Whether the changed span reaches the end of the segment. */
  atEnd: boolean;
}

/** The smallest span that turns `before` into `after` (the segment starting at `base`) as shifts. */
export function segmentEdit(before: string, after: string, base: { line: number; offset: number }): SegmentEdit {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && before.charCodeAt(before.length - 1 - q) === after.charCodeAt(after.length - 1 - q)) q++;
  const zero = { line: 0, column: 0 };
  const oldEnd = positionIn(before, before.length - q, zero);
  const newEnd = positionIn(after, after.length - q, zero);
  return {
    relative: new EditShift(p, before.length - q, after.length - q, oldEnd, newEnd),
    absolute: new EditShift(
      base.offset + p, base.offset + before.length - q, base.offset + after.length - q,
      { line: base.line + oldEnd.line, column: oldEnd.column }, { line: base.line + newEnd.line, column: newEnd.column },
    ),
    line: base.line + positionIn(before, p, zero).line,
    atEnd: q === 0,
  };
}
