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
  if (!names) table.byName.set(decl.kind, (names = DEFERRED_KINDS.has(decl.kind) ? new DeferredNames() : new Map()));
  if (names instanceof DeferredNames) names.defer(decl);
  else addName(names, decl);
  return decl;
}

function addName(names: Map<string, SymbolDecl[]>, decl: SymbolDecl): void {
  const list = names.get(decl.name);
  if (list) list.push(decl);
  else names.set(decl.name, [decl]);
}

/**
 * Kinds looked up only through the proxies' own indexes while the model is built, so their
 * `byName` entries can wait until someone reads them.
 */
const DEFERRED_KINDS: ReadonlySet<SymbolKind> = new Set<SymbolKind>(['server', 'acl']);

/**
 * The names of one kind, indexed on first read. Why: a 100,000-line configuration declares
 * ~40,000 servers and ACLs; indexing them while the model is built costs a hash of each fresh
 * name string, a large table and an array per name (memory the garbage collector copies), yet
 * only the editor's lookups and a few messages ever read them. Every read (and write) indexes the
 * pending declarations first, in declaration order, so the map reads exactly as if filled eagerly.
 */
class DeferredNames extends Map<string, SymbolDecl[]> {
  private pending: SymbolDecl[] = [];

  defer(decl: SymbolDecl): void {
    this.pending.push(decl);
  }

  private fill(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const decl of pending) addName(this, decl);
  }

  override get(name: string): SymbolDecl[] | undefined {
    this.fill();
    return super.get(name);
  }

  override has(name: string): boolean {
    this.fill();
    return super.has(name);
  }

  override get size(): number {
    this.fill();
    return super.size;
  }

  override set(name: string, decls: SymbolDecl[]): this {
    this.fill();
    return super.set(name, decls);
  }

  override delete(name: string): boolean {
    this.fill();
    return super.delete(name);
  }

  override clear(): void {
    this.pending = [];
    super.clear();
  }

  override forEach(fn: (decls: SymbolDecl[], name: string, map: Map<string, SymbolDecl[]>) => void, thisArg?: unknown): void {
    this.fill();
    super.forEach(fn, thisArg);
  }

  override keys(): MapIterator<string> {
    this.fill();
    return super.keys();
  }

  override values(): MapIterator<SymbolDecl[]> {
    this.fill();
    return super.values();
  }

  override entries(): MapIterator<[string, SymbolDecl[]]> {
    this.fill();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, SymbolDecl[]]> {
    this.fill();
    return super[Symbol.iterator]();
  }
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
