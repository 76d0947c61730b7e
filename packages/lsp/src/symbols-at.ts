// The symbol under a cursor, and every place that names the same thing, read from the model's
// symbol table. Navigation features (definition, references, rename, highlight) all start here.
// The index is built once per analysis (WeakMap keyed by the analysis object, which the workspace
// replaces when a document changes), so each request is a Map lookup, not a scan.
import type { ConfigFile, Range, SymbolDecl, SymbolKind, SymbolRef } from '@haplo/parser';
import type { Analysis } from './workspace.js';

/** What is under the cursor: a declaration or a reference, with the range it occupies. */
export interface SymbolHit {
  range: Range;
  decl?: SymbolDecl;
  ref?: SymbolRef;
}

/**
 * One named thing: its declarations (several for same-name ACL lines; a proxy with a
 * stick-table also declares the table) and every reference resolving to any of them.
 * Unresolved references of the same kind, name and scope form a group with no declarations.
 */
export interface SymbolGroup {
  kind: SymbolKind;
  name: string;
  decls: SymbolDecl[];
  /** In file order, implicit ones included (callers that rename must skip them). */
  refs: SymbolRef[];
}

interface Index {
  /** path → line → hits on that line. */
  hits: Map<string, Map<number, SymbolHit[]>>;
  refsByDecl: Map<SymbolDecl, SymbolRef[]>;
  unresolved: Map<string, SymbolRef[]>;
  groups: Map<SymbolDecl, SymbolGroup>;
  files: Map<string, ConfigFile>;
}

const indexes = new WeakMap<Analysis, Index>();
const scopeIds = new WeakMap<object, number>();
let nextScopeId = 1;

function scopeKey(ref: SymbolRef): number {
  // ACLs and servers are per proxy; users and groups per userlist; everything else is global.
  if (ref.kind !== 'acl' && ref.kind !== 'server' && ref.kind !== 'user' && ref.kind !== 'group') return 0;
  const scope: object | undefined = ref.kind === 'acl' || ref.kind === 'server' ? (ref.scope ?? ref.section) : ref.section;
  if (!scope) return 0;
  let id = scopeIds.get(scope);
  if (id === undefined) scopeIds.set(scope, (id = nextScopeId++));
  return id;
}

function unresolvedKey(ref: SymbolRef): string {
  return `${ref.kind}\u0000${ref.name}\u0000${scopeKey(ref)}`;
}

/** The declarations a reference resolves to (all same-name lines for ACLs). */
export function targetsOf(ref: SymbolRef): SymbolDecl[] {
  if (ref.targets?.length) return ref.targets;
  return ref.target ? [ref.target] : [];
}

function build(analysis: Analysis): Index {
  const index: Index = { hits: new Map(), refsByDecl: new Map(), unresolved: new Map(), groups: new Map(), files: new Map() };
  for (const f of analysis.files) index.files.set(f.path, f);
  const addHit = (file: string, hit: SymbolHit): void => {
    let lines = index.hits.get(file);
    if (!lines) index.hits.set(file, (lines = new Map()));
    const line = hit.range.start.line;
    const list = lines.get(line);
    if (list) list.push(hit);
    else lines.set(line, [hit]);
  };
  const symbols = analysis.model.symbols;
  for (const decl of symbols.declarations) addHit(decl.file, { range: decl.range, decl });
  for (const ref of symbols.references) {
    addHit(ref.file, { range: ref.range, ref });
    const targets = targetsOf(ref);
    if (targets.length === 0) {
      const key = unresolvedKey(ref);
      const list = index.unresolved.get(key);
      if (list) list.push(ref);
      else index.unresolved.set(key, [ref]);
      continue;
    }
    for (const t of targets) {
      const list = index.refsByDecl.get(t);
      if (list) list.push(ref);
      else index.refsByDecl.set(t, [ref]);
    }
  }
  return index;
}

function indexOf(analysis: Analysis): Index {
  let index = indexes.get(analysis);
  if (!index) indexes.set(analysis, (index = build(analysis)));
  return index;
}

/** The parsed file of `path` in the analysis, if it is part of it. */
export function fileOf(analysis: Analysis, path: string): ConfigFile | undefined {
  return indexOf(analysis).files.get(path);
}

/**
 * The declaration or reference at a position (end inclusive, so a cursor just after a name
 * counts). When two touch (`be/srv`), the one the cursor is strictly inside wins; a proxy wins
 * over the stick-table it declares on the same name; written names win over implicit ones.
 */
export function symbolAt(analysis: Analysis, path: string, line: number, character: number): SymbolHit | undefined {
  const hits = indexOf(analysis).hits.get(path)?.get(line);
  if (!hits) return undefined;
  let best: SymbolHit | undefined;
  let bestScore = Infinity;
  for (const hit of hits) {
    const { start, end } = hit.range;
    if (start.line !== line) continue;
    const endCol = end.line === line ? end.column : Infinity;
    if (character < start.column || character > endCol) continue;
    let score = character < endCol ? 0 : 4;
    if (hit.ref?.implicit) score += 2;
    if (hit.decl?.kind === 'table' && hit.decl.proxy) score += 1;
    if (score < bestScore) {
      best = hit;
      bestScore = score;
    }
  }
  return best;
}

/** Everything that names the same thing as the hit. */
export function groupOf(analysis: Analysis, hit: SymbolHit): SymbolGroup {
  const index = indexOf(analysis);
  const decl = hit.decl ?? (hit.ref ? targetsOf(hit.ref)[0] : undefined);
  if (decl) return groupOfDecl(analysis, index, decl);
  const ref = hit.ref!;
  return { kind: ref.kind, name: ref.name, decls: [], refs: index.unresolved.get(unresolvedKey(ref)) ?? [ref] };
}

function groupOfDecl(analysis: Analysis, index: Index, decl: SymbolDecl): SymbolGroup {
  const cached = index.groups.get(decl);
  if (cached) return cached;
  const byName = analysis.model.symbols.byName;
  const named = (kind: SymbolKind, name: string): readonly SymbolDecl[] => byName.get(kind)?.get(name) ?? [];
  let decls: SymbolDecl[];
  if (decl.kind === 'acl') {
    decls = named('acl', decl.name).filter((d) => d.scope === decl.scope && d.section === decl.section);
  } else if (decl.kind === 'table' && decl.proxy) {
    // A proxy's table is named after the proxy: the proxy's group holds both.
    const proxyDecl = named('proxy', decl.name).find((d) => d.proxy === decl.proxy);
    if (proxyDecl) return groupOfDecl(analysis, index, proxyDecl);
    decls = [decl];
  } else if (decl.kind === 'proxy') {
    decls = [decl, ...named('table', decl.name).filter((d) => d.proxy === decl.proxy)];
  } else {
    decls = [decl];
  }
  if (!decls.includes(decl)) decls.unshift(decl);
  const seen = new Set<SymbolRef>();
  const refs: SymbolRef[] = [];
  for (const d of decls) {
    for (const r of index.refsByDecl.get(d) ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      refs.push(r);
    }
  }
  const fileOrder = new Map(analysis.files.map((f, i) => [f.path, i]));
  refs.sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.range.start.offset - b.range.start.offset);
  const group: SymbolGroup = { kind: decls[0]!.kind, name: decls[0]!.name, decls, refs };
  for (const d of decls) index.groups.set(d, group);
  return group;
}

