// Map and pattern files edited at run time by `set-map`, `del-map`, `add-acl` and `del-acl`: one
// store per Runtime (beside it, like `procVarsOf`), keyed by file path as HAProxy keys its
// pattern references. Readers (the map converters, ACLs with `-f`) keep their load-time pattern
// set until an edit exists for one of their files; the common path costs one boolean test.
import type { Runtime } from '../runtime/runtime.js';

/** One element of a pattern reference: an ACL line has only a key; a map line a key and value. */
export interface PatternEntry {
  key: string;
  value: string;
}

export interface PatternStore {
  /** Edited files only: the file's entries after every edit so far, in HAProxy's list order. */
  readonly files: Map<string, PatternEntry[]>;
  /** Bumped by every edit, so readers rebuild their pattern sets only when something changed. */
  version: number;
}

const stores = new WeakMap<Runtime, PatternStore>();
/** Whether any Runtime in this process has edited a file: readers test this first. */
let anyEdit = false;

/** The edits of a Runtime, or undefined when it has none (the common case, checked cheaply). */
export function patternEditsOf(rt: Runtime | undefined): PatternStore | undefined {
  if (!anyEdit || !rt) return undefined;
  return stores.get(rt);
}

/** The store of a Runtime for writing; `initial` gives the file's loaded entries on first edit. */
function entriesForEdit(rt: Runtime, path: string, initial: () => PatternEntry[]): { store: PatternStore; list: PatternEntry[] } {
  let store = stores.get(rt);
  if (!store) stores.set(rt, (store = { files: new Map(), version: 0 }));
  anyEdit = true;
  let list = store.files.get(path);
  if (!list) store.files.set(path, (list = initial().map((e) => ({ ...e }))));
  return { store, list };
}

/** `set-map`: every entry with this key takes the value (pat_ref_set), else one is appended. */
export function setMapEntry(rt: Runtime, path: string, initial: () => PatternEntry[], key: string, value: string): 'set' | 'added' {
  const { store, list } = entriesForEdit(rt, path, initial);
  store.version++;
  let found = false;
  for (const e of list) {
    if (e.key === key) {
      e.value = value;
      found = true;
    }
  }
  if (!found) list.push({ key, value });
  return found ? 'set' : 'added';
}

/** `add map` (runtime API): the entry is appended, even when the key is already there (pat_ref_add). */
export function addMapEntry(rt: Runtime, path: string, initial: () => PatternEntry[], key: string, value: string): void {
  const { store, list } = entriesForEdit(rt, path, initial);
  store.version++;
  list.push({ key, value });
}

/** `add-acl`: the key is appended unless an entry already has it. */
export function addAclEntry(rt: Runtime, path: string, initial: () => PatternEntry[], key: string): boolean {
  const { store, list } = entriesForEdit(rt, path, initial);
  if (list.some((e) => e.key === key)) return false;
  store.version++;
  list.push({ key, value: '' });
  return true;
}

/** `del-map` / `del-acl`: every entry with this key is removed (pat_ref_delete); the count removed. */
export function deleteEntries(rt: Runtime, path: string, initial: () => PatternEntry[], key: string): number {
  const { store, list } = entriesForEdit(rt, path, initial);
  const before = list.length;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.key === key) list.splice(i, 1);
  const removed = before - list.length;
  if (removed) store.version++;
  return removed;
}

/**
 * A per-Runtime cache of something built from the edited entries (a reader's pattern set),
 * rebuilt when the store's version moves. Returns undefined when none of `paths` is edited, so
 * the reader keeps its load-time set.
 */
export function editedView<T>(paths: readonly string[], build: (files: Map<string, PatternEntry[]>) => T): (rt: Runtime | undefined) => T | undefined {
  const cache = new WeakMap<Runtime, { version: number; value: T | undefined }>();
  return (rt) => {
    const store = patternEditsOf(rt);
    if (!store) return undefined;
    const hit = cache.get(rt!);
    if (hit && hit.version === store.version) return hit.value;
    const value = paths.some((p) => store.files.has(p)) ? build(store.files) : undefined;
    cache.set(rt!, { version: store.version, value });
    return value;
  };
}
