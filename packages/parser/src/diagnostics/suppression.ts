// `# haplo-disable-line HAP2001` at the end of a line, or `# haplo-disable-next-line HAP2001`
// on the line above, silences those codes on that line (several codes: comma-separated).
import type { ConfigFile } from '../ast/nodes.js';
import type { Diagnostic } from './diagnostic.js';

const PATTERN = /haplo-disable-(next-)?line\s+([A-Z0-9, ]+)/;

/** The codes silenced per file and 0-based line. */
export function suppressedCodes(files: readonly ConfigFile[]): Map<string, Map<number, Set<string>>> {
  const result = new Map<string, Map<number, Set<string>>>();
  for (const file of files) {
    // The text says at once whether any comment can match (walking 100,000 lines cannot).
    if (!file.text.includes('haplo-disable-')) continue;
    const perLine = new Map<number, Set<string>>();
    for (const line of file.lines) {
      const match = line.comment && PATTERN.exec(line.comment.text);
      if (!match) continue;
      const target = match[1] ? line.line + 1 : line.line;
      const set = perLine.get(target) ?? new Set<string>();
      for (const code of match[2]!.split(/[\s,]+/)) if (code) set.add(code);
      perLine.set(target, set);
    }
    if (perLine.size) result.set(file.path, perLine);
  }
  return result;
}

export function filterSuppressed(diagnostics: Diagnostic[], files: readonly ConfigFile[]): Diagnostic[] {
  if (diagnostics.length === 0) return diagnostics;
  const suppressed = suppressedCodes(files);
  if (suppressed.size === 0) return diagnostics;
  return diagnostics.filter((d) => !suppressed.get(d.file)?.get(d.range.start.line)?.has(d.code));
}

/** The comment that silences `code` on a line, for the editor's quick fix. */
export function suppressionComment(code: string): string {
  return `# haplo-disable-line ${code}`;
}
