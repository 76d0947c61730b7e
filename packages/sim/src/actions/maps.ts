// set-map(<file>) <key> <value>, del-map(<file>) <key>, add-acl(<file>) <key>, del-acl(<file>) <key>:
// edits of a map or pattern file loaded in memory (http_action_set_map). The edits live in the
// Runtime's pattern store, so every later stream on that Runtime — and the map converters and
// `-f` ACLs reading the file — see them, as HAProxy's shared pattern references do.
import { patternFileLines } from '../acl/patterns.js';
import { mapFileEntries } from '../converters/maps.js';
import { addAclEntry, deleteEntries, setMapEntry, type PatternEntry } from '../pipeline/pattern-store.js';
import { logFormat } from './args.js';
import type { ActionCompileContext, ActionCompiler } from './types.js';

/** The file's entries as loaded, read once at compile time (a missing file starts empty). */
function loadedEntries(cx: ActionCompileContext, asMap: boolean): { path: string; initial: () => PatternEntry[] } {
  const path = cx.paren ?? '';
  let cached: PatternEntry[] | undefined;
  const text = cx.env.readFile?.(path) ?? '';
  return {
    path,
    initial: () => (cached ??= asMap ? mapFileEntries(text) : patternFileLines(text).map((key) => ({ key, value: '' }))),
  };
}

const setMap: ActionCompiler = (cx) => {
  const { path, initial } = loadedEntries(cx, true);
  const key = logFormat(cx.args[0], cx.env);
  const value = logFormat(cx.args[1], cx.env);
  return ({ ctx, rt }) => {
    const k = key(ctx);
    const v = value(ctx);
    const how = setMapEntry(rt, path, initial, k, v);
    return { kind: 'continue', change: `${path}: ${how === 'set' ? 'set' : 'added'} ${k} → ${v}` };
  };
};

const delEntries = (asMap: boolean): ActionCompiler => (cx) => {
  const { path, initial } = loadedEntries(cx, asMap);
  const key = logFormat(cx.args[0], cx.env);
  return ({ ctx, rt }) => {
    const k = key(ctx);
    const n = deleteEntries(rt, path, initial, k);
    return { kind: 'continue', change: n ? `${path}: removed ${k}` : `${path}: no entry ${k}` };
  };
};

const addAcl: ActionCompiler = (cx) => {
  const { path, initial } = loadedEntries(cx, false);
  const key = logFormat(cx.args[0], cx.env);
  return ({ ctx, rt }) => {
    const k = key(ctx);
    return { kind: 'continue', change: addAclEntry(rt, path, initial, k) ? `${path}: added ${k}` : `${path}: ${k} already present` };
  };
};

export const mapActions: Record<string, ActionCompiler> = {
  'set-map': setMap,
  'del-map': delEntries(true),
  'add-acl': addAcl,
  'del-acl': delEntries(false),
};
