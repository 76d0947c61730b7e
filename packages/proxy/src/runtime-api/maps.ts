// `show map [file]`, `add map`, `set map`, `del map` on the Runtime's pattern store: the same
// store the pipeline's map converters read, so an edit changes routing for the next request.
// Map files are the ones the configuration's map* converters name (loaded as HAProxy did at start).
import { readFileSync } from 'node:fs';
import { addMapEntry, deleteEntries, patternEditsOf, setMapEntry, type PatternEntry, type Pipeline, type SimRuntime } from '@haplo/sim';

interface MapRef {
  path: string;
  /** Where the configuration first uses it (file, 1-based line). */
  file: string;
  line: number;
}

const MAP_CONVERTER = /\bmap(?:_[a-z]+)*\(([^,)]+)/g;

/** The map files of a configuration, in order of first use. */
export function mapFiles(pipeline: Pipeline): MapRef[] {
  const seen = new Map<string, MapRef>();
  for (const p of [...pipeline.model.defaults, ...pipeline.model.proxies]) {
    for (const st of p.statements) {
      for (const w of st.line.words) {
        for (const m of w.text.matchAll(MAP_CONVERTER)) {
          const path = m[1]!;
          if (!seen.has(path)) seen.set(path, { path, file: p.section.file, line: st.line.line + 1 });
        }
      }
    }
  }
  return [...seen.values()];
}

/** Entries as loaded from the file (what HAProxy read at start). */
function loaded(path: string): () => PatternEntry[] {
  return () => {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // A file that cannot be read starts empty, as the converter saw it.
    }
    const out: PatternEntry[] = [];
    for (let line of text.split('\n')) {
      line = line.replace(/\r$/, '').replace(/^[ \t]+/, '');
      if (line === '' || line.startsWith('#')) continue;
      const m = /^(\S+)[ \t]*(.*)$/.exec(line)!;
      out.push({ key: m[1]!, value: m[2]! });
    }
    return out;
  };
}

/** The current entries of a map: edits if any, else the file. */
function entries(rt: SimRuntime, path: string): PatternEntry[] {
  return patternEditsOf(rt)?.files.get(path) ?? loaded(path)();
}

/** Stand-in for the element pointers HAProxy prints, stable per position. */
const pointer = (i: number): string => `0x${(0x5600001000 + i * 0x90).toString(16)}`;

function resolveMap(pipeline: Pipeline, name: string | undefined): MapRef | undefined {
  if (name === undefined) return undefined;
  const maps = mapFiles(pipeline);
  if (name.startsWith('#')) return maps[Number(name.slice(1)) - 1];
  return maps.find((m) => m.path === name);
}

const UNKNOWN = 'Unknown map identifier. Please use #<id> or <file>.\n';

export function showMap(pipeline: Pipeline, rt: SimRuntime, name: string | undefined): string {
  if (name === undefined) {
    let out = '# id (file) description\n';
    mapFiles(pipeline).forEach((m, i) => {
      const n = entries(rt, m.path).length;
      out += `${i + 1} (${m.path}) pattern loaded from file '${m.path}' used by map at file '${m.file}' line ${m.line}. curr_ver=0 next_ver=0 entry_cnt=${n}\n`;
    });
    return out + '\n';
  }
  const m = resolveMap(pipeline, name);
  if (!m) return UNKNOWN;
  return entries(rt, m.path).map((e, i) => `${pointer(i)} ${e.key} ${e.value}\n`).join('') + '\n';
}

export function addMap(pipeline: Pipeline, rt: SimRuntime, args: readonly string[]): string {
  const m = resolveMap(pipeline, args[0]);
  if (!m) return UNKNOWN;
  if (args.length < 3) return "'add map' expects three parameters: map identifier, key and value.\n";
  addMapEntry(rt, m.path, loaded(m.path), args[1]!, args.slice(2).join(' '));
  return '\n';
}

export function setMap(pipeline: Pipeline, rt: SimRuntime, args: readonly string[]): string {
  const m = resolveMap(pipeline, args[0]);
  if (!m) return UNKNOWN;
  if (args.length < 3) return "'set map' expects three parameters: map identifier, key and value.\n";
  const key = args[1]!;
  if (!entries(rt, m.path).some((e) => e.key === key)) return 'entry not found.\n';
  setMapEntry(rt, m.path, loaded(m.path), key, args.slice(2).join(' '));
  return '\n';
}

export function delMap(pipeline: Pipeline, rt: SimRuntime, args: readonly string[]): string {
  const m = resolveMap(pipeline, args[0]);
  if (!m) return UNKNOWN;
  if (args.length < 2) return 'This command expects two parameters: map identifier and key.\n';
  const removed = deleteEntries(rt, m.path, loaded(m.path), args[1]!);
  return removed ? '\n' : 'Key not found.\n';
}
