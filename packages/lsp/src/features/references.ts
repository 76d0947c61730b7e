// Find references: every written use of the thing under the cursor across the file set, and its
// declarations when asked. Implicit uses (`stick on src` using the proxy's own table) have no
// written name and are left out.
import type { Location } from 'vscode-languageserver';
import { toLocation } from '../lsp-ranges.js';
import { groupOf, symbolAt } from '../symbols-at.js';
import { uriToPath } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

export const referencesFeature: Feature = (connection, workspace) => {
  connection.onReferences(
    guarded(connection, 'references', null, (params): Location[] | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const hit = symbolAt(analysis, uriToPath(params.textDocument.uri), params.position.line, params.position.character);
      if (!hit) return null;
      const group = groupOf(analysis, hit);
      const locations: Location[] = [];
      if (params.context.includeDeclaration) {
        // A proxy and its stick-table share the name's range: report it once.
        const seen = new Set<string>();
        for (const d of group.decls) {
          const key = `${d.file}:${d.range.start.offset}`;
          if (seen.has(key)) continue;
          seen.add(key);
          locations.push(toLocation(d.file, d.range));
        }
      }
      for (const r of group.refs) if (!r.implicit) locations.push(toLocation(r.file, r.range));
      return locations;
    }),
  );
};
