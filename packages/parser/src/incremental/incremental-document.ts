// One document analysed once in full, then re-analysed edit by edit: the section an edit touched
// is parsed and checked again in a small configuration (section-context.ts), and every other
// section keeps its diagnostics, moved by the edit. The result is always that of check-sources
// on the new text; whenever that cannot be guaranteed (the edit spans sections, touches a
// global, defaults or named section, changes what other sections see of it, the document has
// `.if` blocks or suppression comments …) `update` answers undefined and the caller analyses
// the whole text again.
import type { ConfigFile } from '../ast/nodes.js';
import { checkSources, type CheckResult, type CheckOptions as SourceCheckOptions } from '../check-sources.js';
import { runChecks } from '../checks/registry.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { filterSuppressed } from '../diagnostics/suppression.js';
import { defaultEnvironment, type Environment } from '../lexer/environment.js';
import { buildModel } from '../model/build-model.js';
import { parseConfig } from '../parse/document-parser.js';
import { checkPhases } from './check-phases.js';
import { segmentEdit, type EditShift } from './edit-shift.js';
import { sameFacts, sectionFacts, type SectionFacts } from './section-facts.js';
import { analyseInContext, type Span } from './section-context.js';
import { cutSegments, segmentAt, sortSegmentDiagnostics, type Segment, type SegmentDiagnostics } from './segments.js';

const PROXY_KINDS: ReadonlySet<string> = new Set(['frontend', 'backend', 'listen']);
/** Marks suppression comments, which reach across a line boundary (see diagnostics/suppression.ts). */
const SUPPRESSION = 'haplo-disable';

export interface IncrementalAnalysis {
  /** What checkSources returns for the text. */
  result: CheckResult;
  /** The document ready for edits, or undefined when it can only be analysed in full. */
  document: IncrementalDocument | undefined;
}

export class IncrementalDocument {
  private constructor(
    readonly path: string,
    private text: string,
    private segments: Segment[],
    private readonly options: SourceCheckOptions & { env: Environment },
    /** The current diagnostics, as checkSources sorts them. */
    public diagnostics: Diagnostic[],
  ) {}

  /** The full analysis of `text` (identical to checkSources on it), remembered for later edits. */
  static analyse(path: string, text: string, options: SourceCheckOptions = {}): IncrementalAnalysis {
    const opts = { ...options, env: options.env ?? defaultEnvironment() };
    const phases = checkPhases;
    // Not splittable: exactly check-sources' pipeline, and no partial analyses.
    if (!phases) return { result: checkSources([{ path, text }], opts), document: undefined };
    const parsed = parseConfig(text, path, { env: opts.env });
    const file = parsed.file;
    const model = buildModel([file]);
    const checkOptions = { env: opts.env, fileExists: opts.fileExists, readFile: opts.readFile };
    const content = runChecks(model, phases.content, { ...checkOptions, prior: parsed.diagnostics });
    const reference = runChecks(model, phases.reference, { ...checkOptions, prior: [...parsed.diagnostics, ...content] });
    const all = [...parsed.diagnostics, ...content, ...reference];
    const sorted = sortLikeCheckSources(filterSuppressed(all, [file]));
    const result: CheckResult = { files: [file], model, diagnostics: sorted };
    if (text.includes(SUPPRESSION) || !incrementable(file, all, path)) return { result, document: undefined };
    const segments = cutSegments(file, text.length);
    const buckets = segments.map(() => ({ parse: [] as Diagnostic[], content: [] as Diagnostic[], reference: [] as Diagnostic[] }));
    for (const d of parsed.diagnostics) buckets[segmentAt(segments, d.range.start.line)]!.parse.push(d);
    for (const d of content) buckets[segmentAt(segments, d.range.start.line)]!.content.push(d);
    for (const d of reference) buckets[segmentAt(segments, d.range.start.line)]!.reference.push(d);
    segments.forEach((s, i) => (s.diagnostics = sortSegmentDiagnostics(buckets[i]!)));
    return { result, document: new IncrementalDocument(path, text, segments, opts, sorted) };
  }

  /**
   * The diagnostics of `newText`, identical to a full analysis of it, computed from the one
   * section the edit changed; undefined when that cannot be done (the state is then unchanged).
   */
  update(newText: string): Diagnostic[] | undefined {
    const old = this.text;
    if (newText === old) return this.diagnostics;
    const delta = newText.length - old.length;
    const segments = this.segments;
    const c = changedSegment(segments, old, newText);
    if (c === undefined) return undefined;
    const seg = segments[c]!;
    if (!PROXY_KINDS.has(seg.kind)) return undefined;
    const last = c === segments.length - 1;
    const newTo = seg.to + delta;
    if (newTo <= seg.from) return undefined;
    // The next header must still start a line.
    if (!last && newText.charCodeAt(newTo - 1) !== 10) return undefined;
    const oldS = old.slice(seg.from, seg.to);
    const newS = newText.slice(seg.from, newTo);
    if (newS.includes(SUPPRESSION)) return undefined;
    const edit = segmentEdit(oldS, newS, { line: seg.line, offset: seg.from });
    // Fixes point at the end of the text ("create backend … at the end"): keep it out of the span.
    if (last && edit.atEnd) return undefined;
    const { relative, absolute, line: editLine } = edit;
    const lineDelta = absolute.lineDelta;

    const nextLine = last ? Infinity : segments[c + 1]!.line;
    const checkOptions = { fileExists: this.options.fileExists, readFile: this.options.readFile };
    const oldContexts: Span[] = [];
    const newContexts: Span[] = [];
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (i === c || PROXY_KINDS.has(s.kind)) continue;
      oldContexts.push(s);
      newContexts.push(i < c ? s : { line: s.line + lineDelta, from: s.from + delta, to: s.to + delta });
    }

    // Facts depend only on the segment's text and the unchanged context: kept once computed.
    const oldFacts = (seg.facts ??= this.factsOf(old, oldContexts, seg, nextLine));
    if (!oldFacts) return undefined;
    const target: Span = { line: seg.line, from: seg.from, to: newTo };
    const newEndLine = nextLine + lineDelta;
    const inContext = analyseInContext(newText, this.path, this.options.env, newContexts, target, newEndLine, true, checkOptions);
    const section = inContext.sections[0];
    if (!inContext.ok || inContext.sections.length !== 1 || inContext.orphansOrDirectives || section!.kind !== seg.kind) return undefined;
    const newFacts = sectionFacts(inContext.model, section!, { line: seg.line, offset: seg.from }, newEndLine, newText);
    if (!newFacts || !sameFacts(oldFacts, newFacts, relative)) return undefined;

    // Reference findings on the section depend only on its facts and the other sections: keep them.
    const reference: Diagnostic[] = [];
    for (const d of seg.diagnostics.reference) {
      const m = absolute.mapDiagnostic(d);
      if (!m || (lineDelta !== 0 && namesMovedLine(absolute, d, editLine))) return undefined;
      reference.push(m);
    }
    const next = moveSegments(segments, c, absolute, editLine);
    if (!next) return undefined;
    next[c] = {
      line: seg.line, from: seg.from, to: newTo, kind: seg.kind, facts: newFacts,
      diagnostics: sortSegmentDiagnostics({ parse: inContext.parse, content: inContext.content, reference }),
    };
    this.text = newText;
    this.segments = next;
    const all: Diagnostic[] = [];
    for (const s of next) for (const d of s.diagnostics.sorted) all.push(d);
    this.diagnostics = all;
    return all;
  }

  /** The facts of a segment of `text`, from its own small configuration. */
  private factsOf(text: string, contexts: Span[], seg: Segment, endLine: number): SectionFacts | undefined {
    const inContext = analyseInContext(text, this.path, this.options.env, contexts, seg, endLine, false, {});
    const section = inContext.sections[0];
    if (inContext.sections.length !== 1 || !section) return undefined;
    return sectionFacts(inContext.model, section, { line: seg.line, offset: seg.from }, endLine, text);
  }
}

/** check-sources' order: by file in order of first appearance, then start offset (stable). */
function sortLikeCheckSources(diagnostics: Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of diagnostics) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  return diagnostics.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.range.start.offset - b.range.start.offset);
}

/** Whether the full analysis allows later partial ones: no directives, nothing outside the file, no failed check. */
function incrementable(file: ConfigFile, diagnostics: readonly Diagnostic[], path: string): boolean {
  if (file.directives.length > 0 || file.conditionals.length > 0) return false;
  for (const d of diagnostics) if (d.file !== path || d.code === 'HAP9999') return false;
  return true;
}

/**
 * The one segment holding all of the text that differs between `old` and `next` (text inserted
 * where a segment ends counts as that segment's), or undefined when the difference spans several.
 */
function changedSegment(segments: readonly Segment[], old: string, next: string): number | undefined {
  const start = commonPrefix(old, next);
  const oldEnd = old.length - commonSuffix(old, next, start);
  let c = segmentFrom(segments, start);
  // A pure insertion at a segment's start belongs to the end of the one before.
  if (oldEnd === start && c > 0 && segments[c]!.from === start) c--;
  return oldEnd <= segments[c]!.to ? c : undefined;
}

/** Strings are compared a chunk at a time: equality of slices is a memory comparison. */
const CHUNK = 4096;

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The common suffix, no longer than what the common prefix `prefix` leaves of the shorter string. */
function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i + CHUNK <= n && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** The index of the last segment starting at or before `offset`. */
function segmentFrom(segments: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.from <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Every segment but the edited one `c`, with its diagnostics moved by the edit (the same object
 * when nothing moves); undefined when some diagnostic cannot be moved.
 */
function moveSegments(segments: readonly Segment[], c: number, shift: EditShift, editLine: number): Segment[] | undefined {
  const lineDelta = shift.lineDelta;
  const next: Segment[] = new Array(segments.length);
  for (let i = 0; i < segments.length; i++) {
    if (i === c) continue;
    const s = segments[i]!;
    const moved = i > c;
    const diagnostics = mapSegmentDiagnostics(s.diagnostics, shift, lineDelta !== 0 ? editLine : undefined);
    if (!diagnostics) return undefined;
    next[i] = !moved && diagnostics === s.diagnostics
      ? s
      : { ...s, ...(moved ? { line: s.line + lineDelta, from: s.from + shift.delta, to: s.to + shift.delta } : {}), diagnostics };
  }
  return next;
}

/** A segment's diagnostics moved by the edit (the same object when none moves), or undefined. */
function mapSegmentDiagnostics(d: SegmentDiagnostics, shift: EditShift, editLine: number | undefined): SegmentDiagnostics | undefined {
  if (d.sorted.length === 0) return d;
  const memo = new Map<Diagnostic, Diagnostic>();
  let changed = false;
  for (const x of d.sorted) {
    const m = shift.mapDiagnostic(x);
    if (!m || (editLine !== undefined && namesMovedLine(shift, x, editLine))) return undefined;
    changed ||= m !== x;
    memo.set(x, m);
  }
  if (!changed) return d;
  const map = (list: Diagnostic[]) => list.map((x) => memo.get(x)!);
  return { parse: map(d.parse), content: map(d.content), reference: map(d.reference), sorted: map(d.sorted) };
}

/** Whether a diagnostic's texts may quote a line number the edit moved. */
function namesMovedLine(shift: EditShift, d: Diagnostic, editLine: number): boolean {
  const texts = [d.message, ...(d.related ?? []).map((r) => r.message), ...(d.fixes ?? []).flatMap((f) => [f.title, ...f.edits.map((e) => e.newText)])];
  return texts.some((t) => shift.mayNameMovedLine(t, editLine));
}
