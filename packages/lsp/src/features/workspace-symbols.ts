// Workspace symbols: the names declared in every open document and every configured file set —
// proxies, defaults, servers, ACLs (once per proxy and name), userlists, users, tables, named
// sections, setenv variables — matched against the query as a case-insensitive subsequence.
import type { SymbolDecl, SymbolKind as HaploKind } from '@haplo/parser';
import type { SymbolInformation } from 'vscode-languageserver';
import { SymbolKind } from '../language-server-api.js';
import { toLocation } from '../lsp-ranges.js';
import { pathToUri, type Analysis, type Workspace } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

const MAX_RESULTS = 1000;

const KIND: Partial<Record<HaploKind, SymbolKind>> = {
  proxy: SymbolKind.Class, defaults: SymbolKind.Namespace, server: SymbolKind.Field, acl: SymbolKind.Variable,
  userlist: SymbolKind.Struct, user: SymbolKind.Field, group: SymbolKind.Field, table: SymbolKind.Struct,
  peers: SymbolKind.Package, resolvers: SymbolKind.Package, mailers: SymbolKind.Package, 'http-errors': SymbolKind.Object,
  cache: SymbolKind.Object, ring: SymbolKind.Object, program: SymbolKind.Function, 'fcgi-app': SymbolKind.Object,
  'log-forward': SymbolKind.Object, env: SymbolKind.Constant,
};

/** True when every character of `query` appears in `name`, in order, ignoring case. */
export function matchesQuery(name: string, query: string): boolean {
  if (!query) return true;
  const n = name.toLowerCase();
  let at = 0;
  for (const ch of query.toLowerCase()) {
    at = n.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/** Every distinct analysis the workspace can see: open documents and configured file sets. */
function analyses(workspace: Workspace): Analysis[] {
  const seen = new Set<Analysis>();
  const uris = workspace.documents.all().map((d) => d.uri);
  for (const set of workspace.settings.fileSets) {
    const first = set[0];
    if (first) uris.push(pathToUri(workspace.resolveConfigPath(first)));
  }
  for (const uri of uris) {
    const a = workspace.analysis(uri);
    if (a) seen.add(a);
  }
  return [...seen];
}

function container(d: SymbolDecl): string | undefined {
  if (d.scope) return d.scope.name || 'defaults';
  if (d.section && d.section.name && d.section.name.range.start.offset !== d.range.start.offset) return d.section.name.value;
  return undefined;
}

export const workspaceSymbolsFeature: Feature = (connection, workspace) => {
  connection.onWorkspaceSymbol(
    guarded(connection, 'workspaceSymbol', [], (params): SymbolInformation[] => {
      const out: SymbolInformation[] = [];
      for (const analysis of analyses(workspace)) {
        const seenAcls = new Set<string>();
        for (const d of analysis.model.symbols.declarations) {
          const kind = KIND[d.kind];
          // A proxy's table shares the proxy's name and range: the proxy is enough.
          if (kind === undefined || (d.kind === 'table' && d.proxy) || !matchesQuery(d.name, params.query)) continue;
          if (d.kind === 'acl') {
            const key = `${d.file}:${d.scope?.section.range.start.offset}:${d.name}`;
            if (seenAcls.has(key)) continue;
            seenAcls.add(key);
          }
          const info: SymbolInformation = { name: d.name, kind, location: toLocation(d.file, d.range) };
          const c = container(d);
          if (c) info.containerName = c;
          out.push(info);
          if (out.length >= MAX_RESULTS) return out;
        }
      }
      return out;
    }),
  );
};
