// Non-proxy named sections (userlist, peers, resolvers, mailers, http-errors, ring, cache,
// program, fcgi-app, log-forward): their declarations, plus the users and groups of userlists
// and the tables of peers sections (named `<peers>/<table>`, as HAProxy names them).
import type { Section, SectionKind, Statement, Word } from '../ast/nodes.js';
import { declare, Declaration } from './symbols.js';
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
  if (section.name) declareIn(symbols, section, section.kind as SymbolKind, section.name.value, section, section.name);
  if (section.kind === 'userlist') {
    const index: UserlistIndex = { users: new Map(), groups: new Map() };
    userlists.set(section, index);
    for (const stmt of section.statements) {
      const head = stmt.keywordWords[0]?.value;
      if (head !== 'user' && head !== 'group') continue;
      const nameWord = stmt.args[0];
      if (!nameWord) continue;
      const decl = declareIn(symbols, section, head, nameWord.value, stmt, nameWord);
      const map = head === 'user' ? index.users : index.groups;
      if (!map.has(nameWord.value)) map.set(nameWord.value, decl);
    }
  } else if (section.kind === 'peers' && section.name) {
    for (const stmt of section.statements) {
      if (stmt.keywordWords[0]?.value !== 'table') continue;
      const nameWord = stmt.args[0];
      if (!nameWord) continue;
      declareIn(symbols, section, 'table', `${section.name.value}/${nameWord.value}`, stmt, nameWord);
    }
  }
}

/** Declares a name written in `section` (by its header or one of its statements). */
function declareIn(symbols: SymbolTable, section: Section, kind: SymbolKind, name: string, node: Statement | Section, at: Word): SymbolDecl {
  const decl = new Declaration(kind, name, section.file, node, at);
  decl.section = section;
  return declare(symbols, decl);
}
