// json_query: a JSONPath subset (`$.a.b`, `$.a[0]`, `$['k']`) over a JSON string input.
import { reportProblem } from '../compile-env.js';
import { bool, sint, str, type Sample } from '../sample/sample.js';
import type { ConverterDef } from './registry.js';

type Step = string | number;

/** `$.a['b'][2]` → ['a', 'b', 2]; undefined when not in the supported subset. */
export function parseJsonPath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) return undefined;
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
      if (!m) return undefined;
      steps.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else return undefined;
  }
  return steps;
}

export const jsonQueryConverter: ConverterDef = {
  name: 'json_query',
  input: 'str',
  output: 'any',
  compile(args, env) {
    const steps = parseJsonPath(args[0] ?? '');
    if (!steps) reportProblem(env, `converter 'json_query' : unsupported JSON path '${args[0] ?? ''}'`);
    const asInt = (args[1] ?? '') === 'int';
    return (s): Sample | undefined => {
      if (!steps) return undefined;
      let v: unknown;
      try {
        v = JSON.parse(s.value as string);
      } catch {
        return undefined;
      }
      for (const step of steps) {
        if (v === null || typeof v !== 'object') return undefined;
        v = (v as Record<string | number, unknown>)[step];
        if (v === undefined) return undefined;
      }
      if (typeof v === 'string') return str(v);
      if (typeof v === 'boolean') return bool(v);
      if (typeof v === 'number') return asInt ? (Number.isInteger(v) ? sint(v) : undefined) : str(String(v));
      if (v === null) return undefined;
      return str(JSON.stringify(v));
    };
  },
};
