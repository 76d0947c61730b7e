// The machine face of `haplo check --format json`: one flat object per diagnostic, positions
// 1-based (end = the range's end + 1 on each axis), stable for CI annotations and scripts.
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.file,
    line: d.range.start.line + 1,
    column: d.range.start.column + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.column + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

/** The whole report as one JSON array, one object a line for readable diffs. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '[]\n';
  return `[\n${diagnostics.map((d) => `  ${JSON.stringify(toJsonDiagnostic(d))}`).join(',\n')}\n]\n`;
}
