// The symbol table: declarations indexed by kind and name, and references. Lookups are Map
// reads; nothing here scans the whole table.
//
// A 100,000-line configuration declares and references ~70,000 names, and few of their ranges
// are ever read (a diagnostic, a rename, a hover). So a symbol keeps the word its name was read
// from and builds the range (three objects) on first use; objects kept for the whole run are what
// the garbage collector pays for. Both classes set every field in the constructor, so all
// declarations (and all references) share one shape.
import type { Range, Section, Statement, Word } from '../ast/nodes.js';
import type { ProxyModel, SymbolDecl, SymbolKind, SymbolRef, SymbolTable } from './types.js';

/** Where a name is written: its whole word (range built when asked), or a range already built. */
export type NameSite = Word | Range;

function isWord(site: NameSite): site is Word {
  return 'value' in site;
}

/** The range of a name site (built now for a word). */
export function siteRange(at: NameSite): Range {
  return isWord(at) ? at.range : at;
}

export class Declaration implements SymbolDecl {
  scope: ProxyModel | undefined = undefined;
  section: Section | undefined = undefined;
  proxy: ProxyModel | undefined = undefined;
  template: { from: number; to: number } | undefined = undefined;
  private site: Range | undefined;
  private readonly word: Word | undefined;

  constructor(
    public kind: SymbolKind,
    public name: string,
    public file: string,
    public node: Statement | Section,
    at: NameSite,
  ) {
    if (isWord(at)) {
      this.word = at;
      this.site = undefined;
    } else {
      this.word = undefined;
      this.site = at;
    }
  }

  get range(): Range {
    return (this.site ??= this.word!.range);
  }
}

export class Reference implements SymbolRef {
  scope: ProxyModel | undefined = undefined;
  target: SymbolDecl | undefined = undefined;
  dynamic: boolean | undefined = undefined;
  targets: SymbolDecl[] | undefined = undefined;
  implicit: boolean | undefined = undefined;
  private site: Range | undefined;
  private readonly word: Word | undefined;

  constructor(
    public kind: SymbolKind,
    public name: string,
    public file: string,
    public node: Statement | Section,
    public section: Section | undefined,
    at: NameSite,
  ) {
    if (isWord(at)) {
      this.word = at;
      this.site = undefined;
    } else {
      this.word = undefined;
      this.site = at;
    }
  }

  get range(): Range {
    return (this.site ??= this.word!.range);
  }
}

export function createSymbolTable(): SymbolTable {
  return { declarations: [], references: [], byName: new Map() };
}

export function declare(table: SymbolTable, decl: SymbolDecl): SymbolDecl {
  table.declarations.push(decl);
  let names = table.byName.get(decl.kind);
  if (!names) table.byName.set(decl.kind, (names = new Map()));
  const list = names.get(decl.name);
  if (list) list.push(decl);
  else names.set(decl.name, [decl]);
  return decl;
}

export function addReference(table: SymbolTable, ref: SymbolRef): SymbolRef {
  table.references.push(ref);
  return ref;
}

/** Every declaration of `name` of that kind, in declaration order. */
export function lookup(table: SymbolTable, kind: SymbolKind, name: string): readonly SymbolDecl[] {
  return table.byName.get(kind)?.get(name) ?? EMPTY;
}

const EMPTY: readonly SymbolDecl[] = [];
