// Folding: each section from its header to its last non-blank line (a comment block right above
// the next section is left to that section), each `.if … .endif` block and each of its
// `.elif`/`.else` branches (the block's own fold covers the first branch), and runs of two or
// more comment lines.
import type { ConfigFile } from '@haplo/parser';
import type { FoldingRange } from 'vscode-languageserver';
import { FoldingRangeKind } from '../language-server-api.js';
import { fileOf } from '../symbols-at.js';
import { uriToPath } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

function sectionFolds(file: ConfigFile, out: FoldingRange[]): void {
  const { sections, lines } = file;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!;
    const start = section.header.line;
    const next = sections[i + 1];
    let end = Math.min(next ? next.header.line - 1 : lines.length - 1, lines.length - 1);
    while (end > start && lines[end]!.kind === 'blank') end--;
    if (next) {
      // An unindented comment block just above the next header introduces that section.
      let j = end;
      while (j > start && lines[j]!.kind === 'comment' && lines[j]!.indent === '') j--;
      if (j < end && j + 1 <= next.header.line - 1) {
        end = j;
        while (end > start && lines[end]!.kind === 'blank') end--;
      }
    }
    if (end > start) out.push({ startLine: start, endLine: end });
  }
}

function conditionalFolds(file: ConfigFile, out: FoldingRange[]): void {
  for (const block of file.conditionals) {
    const branches = block.branches;
    const first = branches[0];
    if (!first) continue;
    const startLine = first.directive.line.line;
    // Keep `.endif` visible: fold up to the line before it.
    const endLine = block.endif ? block.endif.line.line - 1 : block.range.end.line;
    if (endLine > startLine) out.push({ startLine, endLine });
    for (let i = 1; i < branches.length; i++) {
      const from = branches[i]!.directive.line.line;
      const to = i + 1 < branches.length ? branches[i + 1]!.directive.line.line - 1 : endLine;
      if (to > from) out.push({ startLine: from, endLine: to });
    }
  }
}

function commentFolds(file: ConfigFile, out: FoldingRange[]): void {
  const lines = file.lines;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.kind !== 'comment') continue;
    let j = i;
    while (j + 1 < lines.length && lines[j + 1]!.kind === 'comment') j++;
    if (j > i) out.push({ startLine: i, endLine: j, kind: FoldingRangeKind.Comment });
    i = j;
  }
}

/** Every fold of a parsed file, sorted by start line. */
export function foldingRanges(file: ConfigFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  sectionFolds(file, out);
  conditionalFolds(file, out);
  commentFolds(file, out);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

export const foldingRangesFeature: Feature = (connection, workspace) => {
  connection.onFoldingRanges(
    guarded(connection, 'foldingRange', null, (params): FoldingRange[] | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const file = fileOf(analysis, uriToPath(params.textDocument.uri));
      return file ? foldingRanges(file) : null;
    }),
  );
};
