// A document cut at its section headers: the lines before the first section (the prelude),
// then one segment per section, from its header to the line before the next header. HAProxy
// reads sections independently (no quote or continuation spans lines), so a segment's text parses
// the same alone as within the file when no `.if` block is open (documents with directives are
// never cut: see incremental-document.ts).
import type { ConfigFile, SectionKind } from '../ast/nodes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SectionFacts } from './section-facts.js';

export interface SegmentDiagnostics {
  /** Each phase's diagnostics located in the segment, in the order the pipeline found them. */
  parse: Diagnostic[];
  content: Diagnostic[];
  reference: Diagnostic[];
  /** All of them sorted as the pipeline sorts (by offset, ties in phase order). */
  sorted: Diagnostic[];
}

export interface Segment {
  /** 0-based first line, and offsets of its first character and just after its last one. */
  line: number;
  from: number;
  to: number;
  kind: SectionKind | 'prelude';
  diagnostics: SegmentDiagnostics;
  /** What other sections can see of it, relative to its start; computed when first needed. */
  facts?: SectionFacts;
}

/** The segments of a parsed file (a prelude first, possibly empty), without diagnostics yet. */
export function cutSegments(file: ConfigFile, textLength: number): Segment[] {
  const out: Segment[] = [{ line: 0, from: 0, to: textLength, kind: 'prelude', diagnostics: emptyDiagnostics() }];
  for (const section of file.sections) {
    const start = section.header.range.start;
    out[out.length - 1]!.to = start.offset;
    out.push({ line: start.line, from: start.offset, to: textLength, kind: section.kind, diagnostics: emptyDiagnostics() });
  }
  return out;
}

export function emptyDiagnostics(): SegmentDiagnostics {
  return { parse: [], content: [], reference: [], sorted: [] };
}

/** The index of the segment holding 0-based `line` (segments sorted by line). */
export function segmentAt(segments: readonly Segment[], line: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.line <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sorts as check-sources does for one file: by start offset, ties kept in pipeline order. */
export function sortSegmentDiagnostics(d: Omit<SegmentDiagnostics, 'sorted'>): SegmentDiagnostics {
  const sorted = [...d.parse, ...d.content, ...d.reference];
  sorted.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { ...d, sorted };
}
