// Small helpers shared by the reference checks.
import type { Position, Range, Statement, Section } from '../../ast/nodes.js';
import type { Model, ProxyModel, SymbolRef } from '../../model/types.js';

/** How HAProxy names a kind of proxy in its messages (a listen is a "proxy"). */
export function proxyKindWord(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** The statement a reference stands in, when it is one. */
export function refStatement(ref: SymbolRef): Statement | undefined {
  return 'line' in ref.node && 'keywordWords' in ref.node ? (ref.node as Statement) : undefined;
}

export function isSection(node: Statement | Section): node is Section {
  return 'header' in node;
}

/** The position just after the end of a file, for "append a section" fixes. */
export function endOfFile(model: Model, path: string): { position: Position; needsNewline: boolean } | undefined {
  const file = model.files.find((f) => f.path === path);
  if (!file) return undefined;
  const text = file.text;
  const lastNl = text.lastIndexOf('\n');
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
  return { position: { line, column: text.length - lastNl - 1, offset: text.length }, needsNewline: text.length > 0 && !text.endsWith('\n') };
}

export function emptyRange(p: Position): Range {
  return { start: p, end: p };
}

/** `file:line` as HAProxy prints declarations (1-based line). */
export function at(file: string, range: Range): string {
  return `${file}:${range.start.line + 1}`;
}
