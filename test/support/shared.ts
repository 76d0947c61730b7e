// Access to `shared/` (beside the repository root: `<root>/../shared`) and small helpers
// around `checkSources` that several test files use.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSources, type CheckOptions, type CheckResult, type Diagnostic } from '@haplo/parser';

/** The repository root (this file is `<root>/test/support/shared.ts`). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `<root>/../shared`, resolved from the repository root so a fresh clone with shared/ beside it works. */
export function sharedDir(): string {
  return resolve(repoRoot, '..', 'shared');
}

/** A path inside shared/, and whether it exists. */
export function sharedPath(...parts: string[]): { path: string; exists: boolean } {
  const path = resolve(sharedDir(), ...parts);
  return { path, exists: existsSync(path) };
}

/** `checkSources` on one text. */
export function checkText(text: string, path: string, opts: CheckOptions = {}): CheckResult {
  return checkSources([{ path, text }], opts);
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** Whether `d` covers the 1-based `line` of `file` (any line of its range). */
export function coversLine(d: Diagnostic, line: number, file?: string): boolean {
  if (file !== undefined && d.file !== file) return false;
  return d.range.start.line <= line - 1 && line - 1 <= Math.max(d.range.start.line, d.range.end.line);
}

/** One diagnostic as a short line for assertion messages: `file:LINE:COL severity CODE message` (1-based). */
export function describeDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.column + 1} ${d.severity} ${d.code} ${d.message}`;
}

/** Applies every edit of the first fix of `d` to `text` (edits in one file, back to front). */
export function applyFix(text: string, d: Diagnostic, fixIndex = 0): string {
  const fix = d.fixes?.[fixIndex];
  if (!fix) return text;
  const edits = [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  return out;
}
