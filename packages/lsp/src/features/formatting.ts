// Formatting through `formatSource`: the whole document, as per-line edits where the formatter
// changed a line (one full-range edit when line endings changed too), and range formatting as
// the edits of the lines inside the range. The formatter only changes blanks and drops blank
// lines, so lines pair up by their non-blank characters.
import { formatSource } from '@haplo/parser';
import type { DocumentFormattingParams, DocumentRangeFormattingParams, Range as LspRange, TextEdit } from 'vscode-languageserver';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { uriToPath } from '../workspace.js';

const key = (line: string): string => line.replace(/\s+/g, '');

/** Line edits turning `text` into `formatted`, for the original lines `from..to` (inclusive). */
export function lineEdits(text: string, formatted: string, from = 0, to = Infinity): TextEdit[] {
  const a = text.split('\n');
  const b = formatted.split('\n');
  // Both end with a newline: the empty piece after it is not a line.
  if (a.length > 1 && b.length > 1 && a[a.length - 1] === '' && b[b.length - 1] === '') {
    a.pop();
    b.pop();
  }
  const edits: TextEdit[] = [];
  const inRange = (i: number) => i >= from && i <= to;
  let dropped: number[] = [];
  const flushDropped = () => {
    if (dropped.length === 0) return;
    const s = dropped[0]!;
    const e = dropped[dropped.length - 1]!;
    if (e + 1 < a.length) edits.push({ range: span(s, 0, e + 1, 0), newText: '' });
    else if (s > 0) edits.push({ range: span(s - 1, a[s - 1]!.length, e, a[e]!.length), newText: '' });
    else edits.push({ range: span(0, 0, e, a[e]!.length), newText: '' });
    dropped = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && y !== undefined && (key(x) === key(y) || (key(x) !== '' && key(y) !== ''))) {
      flushDropped();
      if (x !== y && inRange(i)) edits.push({ range: span(i, 0, i, x.length), newText: y });
      i++;
      j++;
    } else if (x !== undefined && (y === undefined || key(x) === '')) {
      // A line the formatter dropped (blank lines collapse).
      if (inRange(i)) dropped.push(i);
      else flushDropped();
      i++;
    } else {
      flushDropped();
      // A line the formatter added (the final newline, or a blank line).
      const at = Math.min(i, a.length);
      if (inRange(Math.max(0, at - (at === a.length ? 1 : 0)))) {
        edits.push(at < a.length
          ? { range: span(at, 0, at, 0), newText: `${y}\n` }
          : { range: span(a.length - 1, a[a.length - 1]!.length, a.length - 1, a[a.length - 1]!.length), newText: `\n${y}` });
      }
      j++;
    }
  }
  flushDropped();
  return edits;
}

function span(l1: number, c1: number, l2: number, c2: number): LspRange {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

/** Applies LSP edits to a text (non-overlapping edits, any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line < starts.length ? Math.min(starts[p.line]! + p.character, text.length) : text.length);
  const sorted = [...edits].sort((x, y) => offset(y.range.start) - offset(x.range.start) || offset(y.range.end) - offset(x.range.end));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function fullRange(text: string): LspRange {
  const lines = text.split('\n');
  return span(0, 0, lines.length - 1, lines[lines.length - 1]!.length);
}

/** Edits formatting the whole document: none when already formatted. */
export function formatDocument(text: string, path: string): TextEdit[] {
  const formatted = formatSource(text, path);
  if (formatted === text) return [];
  const edits = lineEdits(text, formatted);
  return applyEdits(text, edits) === formatted ? edits : [{ range: fullRange(text), newText: formatted }];
}

/** Edits for the lines of `range` only (whole-line replacements). */
export function formatRange(text: string, path: string, range: LspRange): TextEdit[] {
  const formatted = formatSource(text, path);
  if (formatted === text) return [];
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return lineEdits(text, formatted, range.start.line, last);
}

export const formattingFeature: Feature = (connection, workspace) => {
  connection.onDocumentFormatting(guarded(connection, 'formatting', null, (params: DocumentFormattingParams) => {
    const doc = workspace.documents.get(params.textDocument.uri);
    return doc ? formatDocument(doc.getText(), uriToPath(params.textDocument.uri)) : null;
  }));
  connection.onDocumentRangeFormatting(guarded(connection, 'range formatting', null, (params: DocumentRangeFormattingParams) => {
    const doc = workspace.documents.get(params.textDocument.uri);
    return doc ? formatRange(doc.getText(), uriToPath(params.textDocument.uri), params.range) : null;
  }));
};
