// Rename (with prepareRename): rewrites a name at its declarations and every written reference,
// per kind — renaming a backend touches use_backend/default_backend/track/`table X` (a proxy's
// stick-table is named after it) but never `from`, which names defaults. Refuses, with a message
// the editor shows, what cannot be renamed: keywords, predefined ACLs, implicit table uses,
// names computed at run time, file names, names declared nowhere, and names written with
// escapes or variables that a plain text edit could not rewrite.
import type { ConfigFile, Range, SymbolDecl, SymbolKind } from '@haplo/parser';
import { catalogue } from '@haplo/parser';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { LSPErrorCodes, ResponseError } from '../language-server-api.js';
import { toLspRange } from '../lsp-ranges.js';
import { fileOf, groupOf, symbolAt, type SymbolGroup, type SymbolHit } from '../symbols-at.js';
import { pathToUri, uriToPath, type Analysis } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

/** HAProxy's characters for proxy, server, ACL and section names. */
const NAME_RE = /^[A-Za-z0-9_.:-]+$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KIND_LABEL: Record<SymbolKind, string> = {
  proxy: 'proxy', defaults: 'defaults section', server: 'server', acl: 'ACL', userlist: 'userlist', user: 'user',
  group: 'group', table: 'stick table', peers: 'peers section', resolvers: 'resolvers section', mailers: 'mailers section',
  'http-errors': 'http-errors section', cache: 'cache', ring: 'ring', program: 'program', 'fcgi-app': 'fcgi-app',
  'log-forward': 'log-forward section', file: 'file', env: 'environment variable',
};

function refuse(message: string): never {
  throw new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** The name as the user edits it: a peers table `p/t` is renamed as `t`. */
function localName(group: SymbolGroup): string {
  if (group.kind === 'table' && !group.decls[0]?.proxy) return group.name.slice(group.name.lastIndexOf('/') + 1);
  return group.name;
}

/** One place to rewrite: the name written there and which slice of it is the renamed part. */
interface Site {
  file: string;
  range: Range;
  written: string;
  from: number;
  to: number;
}

function sites(group: SymbolGroup): Site[] {
  const local = localName(group);
  const out: Site[] = [];
  const seen = new Set<string>();
  for (const d of group.decls) {
    const key = `${d.file}:${d.range.start.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: d.file, range: d.range, written: local, from: 0, to: local.length });
  }
  const base = group.decls[0];
  for (const r of group.refs) {
    if (r.implicit) continue;
    let from = 0;
    let to = r.name.length;
    if (local !== group.name && r.name.endsWith(`/${local}`)) from = r.name.length - local.length;
    else if (base?.template && r.name !== base.name && r.name.startsWith(base.name)) to = base.name.length;
    out.push({ file: r.file, range: r.range, written: r.name, from, to });
  }
  return out;
}

/** The source range of the renamed part of a site, or undefined when the text is not plainly the name. */
function editRange(file: ConfigFile | undefined, site: Site, env: boolean): Range | undefined {
  if (!file || site.range.start.line !== site.range.end.line) return undefined;
  const raw = file.text.slice(site.range.start.offset, site.range.end.offset);
  const at = raw === site.written ? 0 : raw.indexOf(site.written);
  if (at < 0) return undefined;
  const before = raw.slice(0, at);
  const after = raw.slice(at + site.written.length);
  if (env ? !/^["']?(\$\{?)?$/.test(before) : !/^["']?$/.test(before)) return undefined;
  if (!env && !/^["']?$/.test(after)) return undefined;
  const shift = (n: number) => ({ line: site.range.start.line, column: site.range.start.column + n, offset: site.range.start.offset + n });
  return { start: shift(at + site.from), end: shift(at + site.to) };
}

function wordAt(file: ConfigFile | undefined, line: number, character: number): string | undefined {
  const words = file?.lines[line]?.words ?? [];
  for (const w of words) {
    if (w.range.start.column <= character && character <= w.range.end.column) return w.text;
  }
  return undefined;
}

/** The group under the cursor, or a refusal saying why it cannot be renamed. */
function renamable(analysis: Analysis, path: string, line: number, character: number): { hit: SymbolHit; group: SymbolGroup } {
  const hit = symbolAt(analysis, path, line, character);
  if (!hit) {
    const word = wordAt(fileOf(analysis, path), line, character);
    refuse(word
      ? `'${word}' is not a name declared in this configuration (keywords, options and values cannot be renamed); rename a backend, server, ACL, table or section name instead.`
      : 'Nothing to rename here: place the cursor on a backend, server, ACL, table or section name.');
  }
  const ref = hit.ref;
  const kind = (ref ?? hit.decl)!.kind;
  if (kind === 'file') refuse(`'${(ref ?? hit.decl)!.name}' is a file name; rename the file itself.`);
  if (ref?.implicit) {
    refuse(`This rule uses the stick table of proxy '${ref.name}' without naming it; rename the proxy '${ref.name}' to rename its table.`);
  }
  if (ref?.dynamic) refuse(`'${ref.name}' is computed at run time from a sample expression; it cannot be renamed.`);
  const group = groupOf(analysis, hit);
  if (group.decls.length === 0) {
    if (kind === 'acl' && catalogue.getPredefinedAcl(group.name)) refuse(`'${group.name}' is a predefined ACL; HAProxy defines its name.`);
    if (kind === 'env') refuse(`'${group.name}' is not set with setenv/presetenv in this configuration; it comes from the process environment.`);
    refuse(`No ${KIND_LABEL[kind]} named '${group.name}' is declared where this reference can see it, so there is nothing to rename.`);
  }
  return { hit, group };
}

function conflict(analysis: Analysis, group: SymbolGroup, newName: string): string | undefined {
  const first = group.decls[0]!;
  const fullName = localName(group) === group.name ? newName : group.name.slice(0, group.name.length - localName(group).length) + newName;
  const existing = analysis.model.symbols.byName.get(first.kind)?.get(fullName) ?? [];
  const clash = existing.find((d: SymbolDecl) => {
    if (group.decls.includes(d)) return false;
    if (first.kind === 'acl' || first.kind === 'server') return d.scope === first.scope;
    if (first.kind === 'user' || first.kind === 'group') return d.section === first.section;
    if (first.kind === 'proxy') {
      const a = first.proxy?.capabilities;
      const b = d.proxy?.capabilities;
      return !a || !b || (a.frontend && b.frontend) || (a.backend && b.backend);
    }
    return true;
  });
  if (!clash) return undefined;
  const where = first.kind === 'acl' || first.kind === 'server' ? ` in '${first.scope?.name ?? ''}'` : '';
  return `A ${KIND_LABEL[first.kind]} named '${fullName}' already exists${where} (line ${clash.range.start.line + 1}); renaming would merge the two.`;
}

export const renameFeature: Feature = (connection, workspace) => {
  connection.onPrepareRename(
    guarded(connection, 'prepareRename', null, (params) => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const path = uriToPath(params.textDocument.uri);
      const { hit, group } = renamable(analysis, path, params.position.line, params.position.character);
      const at = hit.ref ?? hit.decl!;
      const site = sites(group).find((s) => s.file === at.file && s.range.start.offset === at.range.start.offset);
      const range = site && editRange(fileOf(analysis, site.file), site, group.kind === 'env');
      if (!range) refuse(`'${group.name}' is written here with quotes, escapes or variables that cannot be rewritten safely.`);
      return { range: toLspRange(range), placeholder: localName(group) };
    }),
  );

  connection.onRenameRequest(
    guarded(connection, 'rename', null, (params): WorkspaceEdit | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const path = uriToPath(params.textDocument.uri);
      const { group } = renamable(analysis, path, params.position.line, params.position.character);
      const newName = params.newName;
      const env = group.kind === 'env';
      if (!(env ? ENV_NAME_RE : NAME_RE).test(newName)) {
        refuse(env
          ? `'${newName}' is not a valid environment variable name: use letters, digits and '_', not starting with a digit.`
          : `'${newName}' is not a valid name: HAProxy names may contain only letters, digits, '-', '_', '.' and ':'.`);
      }
      const clash = newName === localName(group) ? undefined : conflict(analysis, group, newName);
      if (clash) refuse(clash);
      const changes: Record<string, TextEdit[]> = {};
      for (const site of sites(group)) {
        const range = editRange(fileOf(analysis, site.file), site, env);
        if (!range) {
          refuse(`Cannot rename '${group.name}' safely: it is written with quotes, escapes or variables at ${site.file}:${site.range.start.line + 1}.`);
        }
        (changes[pathToUri(site.file)] ??= []).push({ range: toLspRange(range), newText: newName });
      }
      return { changes };
    }),
  );
};
