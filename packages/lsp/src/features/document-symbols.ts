// The outline: one symbol per section (`frontend fe`), with its servers, ACLs (same-name lines
// grouped under one entry), binds, rules (named by their action), use_backend/default_backend
// lines and the named members of other sections (users, peers, nameservers, …).
import type { AclStatement, ConfigFile, Section, SectionKind, Statement } from '@haplo/parser';
import type { DocumentSymbol } from 'vscode-languageserver';
import { SymbolKind } from '../language-server-api.js';
import { toLspRange } from '../lsp-ranges.js';
import { fileOf } from '../symbols-at.js';
import { uriToPath } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

const SECTION_KIND: Record<SectionKind, SymbolKind> = {
  global: SymbolKind.Module,
  defaults: SymbolKind.Namespace,
  frontend: SymbolKind.Interface,
  backend: SymbolKind.Class,
  listen: SymbolKind.Class,
  userlist: SymbolKind.Struct,
  peers: SymbolKind.Package,
  resolvers: SymbolKind.Package,
  mailers: SymbolKind.Package,
  'http-errors': SymbolKind.Object,
  ring: SymbolKind.Object,
  cache: SymbolKind.Object,
  program: SymbolKind.Function,
  'fcgi-app': SymbolKind.Object,
  'log-forward': SymbolKind.Object,
};

/** Keywords whose first argument names a member of the section. */
const MEMBER_KEYWORDS = new Set(['server', 'server-template', 'user', 'group', 'peer', 'nameserver', 'mailer', 'table']);
const ROUTING_KEYWORDS = new Set(['use_backend', 'default_backend', 'use-server']);

function symbol(name: string, kind: SymbolKind, stmt: Statement, selection = stmt.keywordWords[0]?.range ?? stmt.range, detail?: string): DocumentSymbol {
  const s: DocumentSymbol = { name: name || stmt.keyword || '?', kind, range: toLspRange(stmt.range), selectionRange: toLspRange(selection) };
  if (detail) s.detail = detail;
  return s;
}

function conditionText(file: ConfigFile, stmt: Statement): string | undefined {
  const c = stmt.condition;
  return c ? file.text.slice(c.range.start.offset, c.range.end.offset) : undefined;
}

function aclSymbol(file: ConfigFile, stmt: AclStatement): DocumentSymbol {
  const criterion = stmt.expr ? file.text.slice(stmt.expr.range.start.offset, stmt.expr.range.end.offset) : undefined;
  return symbol(stmt.name!.value, SymbolKind.Variable, stmt, stmt.name!.range, criterion);
}

function sectionChildren(file: ConfigFile, section: Section): DocumentSymbol[] {
  const active = section.statements.filter((s) => s.line.active);
  // Same-name ACL lines are OR-ed into one ACL: one entry, with a child per line when several.
  const aclLines = new Map<string, (AclStatement)[]>();
  for (const stmt of active) {
    if (stmt.type !== 'acl' || !stmt.name) continue;
    const list = aclLines.get(stmt.name.value);
    if (list) list.push(stmt);
    else aclLines.set(stmt.name.value, [stmt]);
  }
  const children: DocumentSymbol[] = [];
  for (const stmt of active) {
    const head = stmt.keywordWords[0]?.value ?? '';
    if (stmt.type === 'acl') {
      const lines = stmt.name ? aclLines.get(stmt.name.value) : undefined;
      if (!lines || lines[0] !== stmt) continue;
      const first = aclSymbol(file, stmt);
      if (lines.length === 1) {
        children.push(first);
        continue;
      }
      const last = lines[lines.length - 1]!;
      children.push({
        ...first,
        detail: `${lines.length} lines`,
        range: toLspRange({ start: stmt.range.start, end: last.range.end }),
        children: lines.map((l) => aclSymbol(file, l)),
      });
    } else if (stmt.type === 'rule') {
      const name = stmt.action?.value ?? stmt.actionName;
      children.push(symbol(name, SymbolKind.Function, stmt, stmt.action?.range, [stmt.ruleSet, conditionText(file, stmt)].filter(Boolean).join(' ')));
    } else if (MEMBER_KEYWORDS.has(head) && stmt.args[0]) {
      const kind = head === 'server' || head === 'server-template' ? SymbolKind.Field : head === 'table' ? SymbolKind.Struct : SymbolKind.Field;
      children.push(symbol(stmt.args[0].value, kind, stmt, stmt.args[0].range, [head, stmt.args[1]?.value].filter(Boolean).join(' ')));
    } else if (head === 'bind') {
      children.push(symbol(`bind ${stmt.args[0]?.value ?? ''}`.trim(), SymbolKind.Event, stmt));
    } else if (ROUTING_KEYWORDS.has(head)) {
      children.push(symbol(`${head} ${stmt.args[0]?.value ?? ''}`.trim(), SymbolKind.Method, stmt, stmt.args[0]?.range, conditionText(file, stmt)));
    }
  }
  return children;
}

/** The outline of one parsed file. */
export function documentSymbols(file: ConfigFile): DocumentSymbol[] {
  return file.sections.map((section) => {
    const nameWord = section.name;
    const s: DocumentSymbol = {
      name: nameWord ? `${section.keyword.value} ${nameWord.value}` : section.keyword.value,
      kind: SECTION_KIND[section.kind] ?? SymbolKind.Namespace,
      range: toLspRange(section.range),
      selectionRange: toLspRange(nameWord?.range ?? section.keyword.range),
      children: sectionChildren(file, section),
    };
    if (section.from) s.detail = `from ${section.from.value}`;
    return s;
  });
}

export const documentSymbolsFeature: Feature = (connection, workspace) => {
  connection.onDocumentSymbol(
    guarded(connection, 'documentSymbol', null, (params): DocumentSymbol[] | null => {
      const analysis = workspace.analysis(params.textDocument.uri);
      if (!analysis) return null;
      const file = fileOf(analysis, uriToPath(params.textDocument.uri));
      return file ? documentSymbols(file) : null;
    }),
  );
};
