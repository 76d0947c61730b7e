// Highlights the other occurrences of the name under the cursor in the same file: declarations
// as writes, references as reads.
import type { DocumentHighlight } from 'vscode-languageserver';
import { DocumentHighlightKind } from '../language-server-api.js';
import { toLspRange } from '../lsp-ranges.js';
import { groupOf, symbolAt } from '../symbols-at.js';
import { uriToPath } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

export const documentHighlightFeature: Feature = (connection, workspace) => {
  connection.onDocumentHighlight(
    guarded(connection, 'documentHighlight', null, (params): DocumentHighlight[] | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const path = uriToPath(params.textDocument.uri);
      const hit = symbolAt(analysis, path, params.position.line, params.position.character);
      if (!hit) return null;
      const group = groupOf(analysis, hit);
      const highlights: DocumentHighlight[] = [];
      const seen = new Set<number>();
      for (const d of group.decls) {
        if (d.file !== path || seen.has(d.range.start.offset)) continue;
        seen.add(d.range.start.offset);
        highlights.push({ range: toLspRange(d.range), kind: DocumentHighlightKind.Write });
      }
      for (const r of group.refs) {
        if (r.file === path && !r.implicit) highlights.push({ range: toLspRange(r.range), kind: DocumentHighlightKind.Read });
      }
      return highlights;
    }),
  );
};
