// map_<match>[_<out>](file[,default]): the file is read once at compile time through the
// injected reader and indexed with the same pattern sets ACLs use; lookups return the value of
// the first matching key (the longest prefix for map_ip).
import { readConfigFile, reportProblem } from '../compile-env.js';
import { compilePatterns, type MatchMethod, type PatternInput } from '../acl/patterns.js';
import { parseAddress } from '../sample/address.js';
import { addr, sint, str, type DeclaredType, type Sample } from '../sample/sample.js';
import { editedView, type PatternEntry } from '../pipeline/pattern-store.js';
import type { CompileEnv } from '../compile-env.js';
import type { ConverterDef } from './registry.js';

/** Problems in entries added at run time are HAProxy's CLI errors, not configuration ones. */
const SILENT: CompileEnv = { report: () => undefined };

/** Key and value of each map line: the key is the first word, the value the rest of the line. */
export function mapFileEntries(text: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line = line.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)[ \t]*(.*)$/.exec(line)!;
    out.push({ key: m[1]!, value: m[2]! });
  }
  return out;
}

type Out = 'str' | 'int' | 'ip';

function outputValue(v: string, out: Out): Sample | undefined {
  if (out === 'str') return str(v);
  if (out === 'int') return /^[-+]?\d+$/.test(v) ? sint(Number(v)) : undefined;
  const a = parseAddress(v);
  return a ? addr(a) : undefined;
}

function mapConverter(name: string, method: MatchMethod, out: Out): ConverterDef {
  const input: DeclaredType = method === 'ip' ? 'addr' : method === 'int' ? 'sint' : 'str';
  const output: DeclaredType = out === 'str' ? 'str' : out === 'int' ? 'sint' : 'ipv4';
  return {
    name,
    input,
    output,
    robust: true,
    compile(args, env) {
      const file = args[0] ?? '';
      const text = readConfigFile(env, file) ?? '';
      const entries = mapFileEntries(text);
      const build = (list: readonly PatternEntry[], e: CompileEnv) => {
        const values = list.map((x) => {
          const v = outputValue(x.value, out);
          if (!v) reportProblem(e, `converter '${name}' : map file <${file}> : '${x.value}' is not a valid ${out} value.`);
          return v;
        });
        const patterns: PatternInput[] = list.map((x) => ({ text: x.key, icase: false }));
        return { values, set: compilePatterns(method, patterns, {}, e) };
      };
      const loaded = build(entries, env);
      // set-map/del-map edits of this file in the stream's Runtime replace the loaded entries.
      const edited = editedView([file], (files) => build(files.get(file)!, SILENT));
      const fallback = args[1] !== undefined ? outputValue(args[1], out) : undefined;
      if (args[1] !== undefined && !fallback) reportProblem(env, `converter '${name}' : invalid default value '${args[1]}'`);
      return (s, ctx) => {
        const { values, set } = edited(ctx.runtime) ?? loaded;
        const i = set.match(s);
        return i >= 0 ? values[i] : fallback;
      };
    },
  };
}

const METHODS: readonly [string, MatchMethod][] = [
  ['str', 'str'], ['beg', 'beg'], ['sub', 'sub'], ['dir', 'dir'], ['dom', 'dom'], ['end', 'end'], ['reg', 'reg'], ['ip', 'ip'], ['int', 'int'],
];

export const mapConverters: readonly ConverterDef[] = [
  mapConverter('map', 'str', 'str'),
  ...METHODS.flatMap(([suffix, method]) => [
    mapConverter(`map_${suffix}`, method, 'str'),
    mapConverter(`map_${suffix}_int`, method, 'int'),
    mapConverter(`map_${suffix}_ip`, method, 'ip'),
  ]),
];
