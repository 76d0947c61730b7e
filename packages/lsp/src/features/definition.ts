// Go to definition: from a reference to the declaration(s) it resolves to — backends, servers,
// ACLs (every same-name line), tables, defaults, named sections, `${VAR}` set in global — in any
// file of the set; from a file name to the file itself.
import { existsSync } from 'node:fs';
import type { Location } from 'vscode-languageserver';
import { toLocation } from '../lsp-ranges.js';
import { groupOf, symbolAt, targetsOf } from '../symbols-at.js';
import { pathToUri, uriToPath } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

export const definitionFeature: Feature = (connection, workspace) => {
  connection.onDefinition(
    guarded(connection, 'definition', null, (params): Location[] | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const hit = symbolAt(analysis, uriToPath(params.textDocument.uri), params.position.line, params.position.character);
      if (!hit) return null;
      const kind = hit.ref?.kind ?? hit.decl!.kind;
      if (kind === 'file') {
        const path = workspace.resolveConfigPath((hit.ref ?? hit.decl)!.name);
        return existsSync(path) ? [{ uri: pathToUri(path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : null;
      }
      // On a declaration: itself, or for an ACL every line of that name.
      const decls = hit.ref ? targetsOf(hit.ref) : hit.decl!.kind === 'acl' ? groupOf(analysis, hit).decls : [hit.decl!];
      return decls.length ? decls.map((d) => toLocation(d.file, d.range)) : null;
    }),
  );
};
