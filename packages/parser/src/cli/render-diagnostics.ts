// The human face of `haplo check`: compiler-style `file:line:col: severity[CODE]: message`,
// the source line, and a caret under the range, so a terminal user sees where without an editor.
import type { ChalkInstance } from 'chalk';
import type { Range } from '../ast/nodes.js';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';

/** Source lines by file path, for quoting the line a diagnostic points at. */
export type SourceLines = ReadonlyMap<string, readonly string[]>;

/** Splits a file the way line numbers count: at `\n`, with a `\r` before it dropped. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

const SEVERITY_COLOR: Record<Severity, (c: ChalkInstance) => ChalkInstance> = {
  error: (c) => c.red.bold,
  warning: (c) => c.yellow.bold,
  info: (c) => c.blue.bold,
  hint: (c) => c.cyan,
};

/** One diagnostic as a header line plus, when the source is known, the quoted line and carets. */
export function renderDiagnostic(d: Diagnostic, sources: SourceLines, c: ChalkInstance): string {
  const paint = SEVERITY_COLOR[d.severity](c);
  const where = c.bold(`${location(d.file, d.range)}:`);
  let out = `${where} ${paint(`${d.severity}[${d.code}]`)}: ${d.message}\n`;
  out += renderSnippet(sources.get(d.file), d.range, paint, c);
  for (const note of d.related ?? []) {
    out += `${c.bold(`${location(note.file, note.range)}:`)} ${c.bold('note')}: ${note.message}\n`;
  }
  return out;
}

/** `file:line:col`, 1-based, as editors and terminals link it. */
export function location(file: string, range: Range): string {
  return `${file}:${range.start.line + 1}:${range.start.column + 1}`;
}

function renderSnippet(lines: readonly string[] | undefined, range: Range, paint: ChalkInstance, c: ChalkInstance): string {
  const text = lines?.[range.start.line];
  if (text === undefined) return '';
  const number = String(range.start.line + 1);
  const gutter = ' '.repeat(number.length + 2);
  const start = range.start.column;
  const end = range.end.line === range.start.line ? range.end.column : text.length;
  const width = Math.max(1, end - start);
  // Keep tabs in the padding so the carets line up under tab-indented text.
  let pad = '';
  for (let i = 0; i < start; i++) pad += text[i] === '\t' ? '\t' : ' ';
  const carets = '^' + '~'.repeat(width - 1);
  return `${c.dim(` ${number} |`)} ${text}\n${c.dim(`${gutter}|`)} ${pad}${paint(carets)}\n`;
}

/** `2 errors, 1 warning in 1 file`; info and hint counts appear only when present. */
export function renderSummary(diagnostics: readonly Diagnostic[], fileCount: number, c: ChalkInstance): string {
  const count = (severity: Severity): number => diagnostics.filter((d) => d.severity === severity).length;
  const files = plural(fileCount, 'file');
  if (diagnostics.length === 0) return `${c.green('no problems')} in ${files}\n`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  if (count('info') > 0) parts.push(`${count('info')} info`);
  if (count('hint') > 0) parts.push(plural(count('hint'), 'hint'));
  const text = parts.join(', ');
  return `${count('error') > 0 ? c.red.bold(text) : count('warning') > 0 ? c.yellow.bold(text) : text} in ${files}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
