// Non-proxy named sections (userlist, peers, resolvers, mailers, http-errors, ring, cache,
// program, fcgi-app, log-forward): their declarations, plus the users and groups of userlists
// and the tables of peers sections (named `<peers>/<table>`, as HAProxy names them).
import type { Section, SectionKind } from '../ast/nodes.js';
import { declare } from './symbols.js';
import type { SymbolDecl, SymbolKind, SymbolTable } from './types.js';

export const NAMED_SECTION_KINDS: ReadonlySet<SectionKind> = new Set<SectionKind>([
  'userlist', 'peers', 'resolvers', 'mailers', 'http-errors', 'ring', 'cache', 'program', 'fcgi-app', 'log-forward',
]);

/** Users and groups of one userlist, for references made inside it. */
export interface UserlistIndex {
  users: Map<string, SymbolDecl>;
  groups: Map<string, SymbolDecl>;
}

export function declareNamedSection(
  section: Section,
  symbols: SymbolTable,
  userlists: Map<Section, UserlistIndex>,
): void {
  if (section.name) {
    declare(symbols, {
      kind: section.kind as SymbolKind,
      name: section.name.value,
      file: section.file,
      range: section.name.range,
      node: section,
      section,
    });
  }
  if (section.kind === 'userlist') {
    const index: UserlistIndex = { users: new Map(), groups: new Map() };
    userlists.set(section, index);
    for (const stmt of section.statements) {
      const head = stmt.keywordWords[0]?.value;
      if (head !== 'user' && head !== 'group') continue;
      const nameWord = stmt.args[0];
      if (!nameWord) continue;
      const decl = declare(symbols, {
        kind: head, name: nameWord.value, file: section.file, range: nameWord.range, node: stmt, section,
      });
      const map = head === 'user' ? index.users : index.groups;
      if (!map.has(nameWord.value)) map.set(nameWord.value, decl);
    }
  } else if (section.kind === 'peers' && section.name) {
    for (const stmt of section.statements) {
      if (stmt.keywordWords[0]?.value !== 'table') continue;
      const nameWord = stmt.args[0];
      if (!nameWord) continue;
      declare(symbols, {
        kind: 'table',
        name: `${section.name.value}/${nameWord.value}`,
        file: section.file,
        range: nameWord.range,
        node: stmt,
        section,
      });
    }
  }
}
