// LSP ↔ haplo positions, and "what is under the cursor" on the AST: binary searches over the
// file's sections and statements, so a request on a 25,000-line file touches a handful of nodes.
import type { ConfigFile, Line, Model, ProxyModel, Range, Section, Statement, Word } from '@haplo/parser';
import type { Range as LspRange } from 'vscode-languageserver';

export { toLspRange } from './lsp-ranges.js';

export function lspRange(line: number, from: number, to: number): LspRange {
  return { start: { line, character: from }, end: { line, character: to } };
}

/** True when two ranges are the same (LSP on one side, haplo on the other). */
export function sameRange(a: LspRange, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.column && a.end.line === b.end.line && a.end.character === b.end.column;
}

/** The section holding 0-based `line` (its header included); undefined before the first one. */
export function sectionAt(file: ConfigFile, line: number): Section | undefined {
  const sections = file.sections;
  let lo = 0;
  let hi = sections.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sections[mid]!;
    if (s.header.line <= line) {
      found = s;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The statement written on `line` in `section`, if any. */
export function statementAt(section: Section | undefined, line: number): Statement | undefined {
  const list = section?.statements;
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = list[mid]!.line.line;
    if (n === line) return list[mid];
    if (n < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * The word the cursor touches (end inclusive, so `bin|` is in `bind`), else where a new word would
 * go: `index` is then the number of words before the cursor and `word` is undefined.
 */
export function wordAt(line: Line, column: number): { index: number; word?: Word } {
  const words = line.words;
  for (let i = 0; i < words.length; i++) {
    const r = words[i]!.range;
    if (column < r.start.column) return { index: i };
    if (column <= r.end.column) return { index: i, word: words[i] };
  }
  return { index: words.length };
}

/** The proxy a proxy section declares, through the model's indexes (no scan in the common case). */
export function proxyOfSection(model: Model, section: Section | undefined): ProxyModel | undefined {
  if (!section) return undefined;
  if (section.kind !== 'defaults' && section.kind !== 'frontend' && section.kind !== 'backend' && section.kind !== 'listen') return undefined;
  const first = section.statements[0];
  const viaStatement = first && model.proxyOf.get(first);
  if (viaStatement) return viaStatement;
  const decls = model.symbols.byName.get(section.kind === 'defaults' ? 'defaults' : 'proxy')?.get(section.name?.value ?? '');
  for (const d of decls ?? []) if (d.proxy?.section === section) return d.proxy;
  return (section.kind === 'defaults' ? model.defaults : model.proxies).find((p) => p.section === section);
}

/** The source text of a line of a file. */
export function lineText(file: ConfigFile, line: number): string {
  const l = file.lines[line];
  return l ? file.text.slice(l.range.start.offset, l.range.end.offset) : '';
}
