// Converts the parser's ranges (0-based, UTF-16 columns) to LSP ranges and locations.
import type { Range } from '@haplo/parser';
import type { Location, Range as LspRange } from 'vscode-languageserver';
import { pathToUri } from './workspace.js';

export function toLspRange(r: Range): LspRange {
  return { start: { line: r.start.line, character: r.start.column }, end: { line: r.end.line, character: r.end.column } };
}

export function toLocation(path: string, r: Range): Location {
  return { uri: pathToUri(path), range: toLspRange(r) };
}

