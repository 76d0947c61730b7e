// The symbol table: declarations indexed by kind and name, and references. Lookups are Map
// reads; nothing here scans the whole table.
import type { SymbolDecl, SymbolKind, SymbolRef, SymbolTable } from './types.js';

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
