// Applies LSP text edits to a string, so editor-feature tests can assert on the resulting text.
import type { TextEdit } from 'vscode-languageserver-protocol';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }): number =>
    p.line < starts.length ? Math.min(starts[p.line]! + p.character, text.length) : text.length;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
