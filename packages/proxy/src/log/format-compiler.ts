// Compiles a log-format string once into a renderer, reading it as HAProxy 2.6 does
// (parse_logformat_string): `%var` and `%{flags}var`, `%[sample]`, `%%`, and every space a
// separator that is written once however many follow, and never first. `%o` carries its flags
// to every later node. Empty values print `-` in log lines (the M flag).
import { parseSampleExpression, type Range, type Word } from '@haplo/parser';
import { compileSample, sampleText, type CompileEnv, type StreamContext } from '@haplo/sim';
import { FLAG_NAMES, textValue, type NodeFlags } from './log-encoding.js';
import type { LineInput } from './line-input.js';
import { formatVariable, type Renderer } from './format-variables.js';

export interface FormatProblem {
  message: string;
}

export interface FormatOptions {
  /** The proxy runs in mode http (HTTP-only variables are refused otherwise). */
  http: boolean;
  /** Where sample expressions report compile problems. */
  env: CompileEnv;
  /** Receives problems with the format itself. */
  report(p: FormatProblem): void;
}

/** Renders one line; '' when the format is empty. */
export type LineRenderer = (x: LineInput) => string;

const SEPARATOR = 0;
type Node = typeof SEPARATOR | string | Renderer;

const NO_RANGE: Range = { start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } };

/** A stand-in word so the parser's sample-expression reader can read inside the string. */
function wordOf(value: string): Word {
  return { text: value, value, range: NO_RANGE, quoted: false } as Word;
}

/** Applies `+Q,-E,…` to a copy of `base`; unknown flags are ignored, as HAProxy does. */
export function applyFlags(base: NodeFlags, spec: string | undefined): NodeFlags {
  const f = { ...base };
  if (!spec) return f;
  for (const item of spec.split(',')) {
    const sign = item[0];
    const key = FLAG_NAMES[item.slice(1)];
    if (!key || (sign !== '+' && sign !== '-')) continue;
    f[key] = sign === '+';
  }
  return f;
}

const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
const isAlnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

export function compileLogFormat(format: string, o: FormatOptions): LineRenderer {
  const nodes: Node[] = [];
  let defaults: NodeFlags = { quote: false, hex: false, escape: false, mandatory: true };
  let text = '';
  const flush = (): void => {
    if (text) nodes.push(text);
    text = '';
  };
  const word = wordOf(format);
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === ' ') {
      flush();
      nodes.push(SEPARATOR);
      i++;
      continue;
    }
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    const next = format[i + 1];
    if (next === '%') {
      text += '%';
      i += 2;
      continue;
    }
    flush();
    let j = i + 1;
    let flags: string | undefined;
    if (format[j] === '{') {
      const end = format.indexOf('}', j);
      if (end < 0) {
        o.report({ message: `truncated line after '${format.slice(j + 1)}'` });
        return renderNodes(nodes);
      }
      flags = format.slice(j + 1, end);
      j = end + 1;
      if (format[j] !== '[' && !isAlnum(format[j])) {
        o.report({ message: `parse argument modifier without variable name near '%{${flags}}'` });
        return renderNodes(nodes);
      }
    }
    if (format[j] === '[') {
      const parsed = parseSampleExpression(word, j + 1, format.length, true);
      if (parsed.error || !parsed.expr) {
        o.report({ message: `failed to parse sample expression <${format.slice(j + 1)}> : ${parsed.error?.message ?? 'invalid expression'}` });
        return renderNodes(nodes);
      }
      if (format[parsed.end] !== ']') {
        o.report({ message: `missing ']' after '${format.slice(j + 1, parsed.end)}'` });
        return renderNodes(nodes);
      }
      nodes.push(sampleNode(parsed.expr, applyFlags(defaults, flags), o.env));
      i = parsed.end + 1;
      continue;
    }
    if (isAlpha(format[j]) || (flags !== undefined && isAlnum(format[j]))) {
      let k = j;
      while (k < format.length && isAlnum(format[k])) k++;
      const name = format.slice(j, k);
      i = k;
      if (name === 'o') {
        defaults = applyFlags(defaults, flags);
        continue;
      }
      const def = formatVariable(name);
      if (!def) {
        o.report({ message: `no such format variable '${name}'. If you wanted to emit the '%' character verbatim, you need to use '%%'` });
        continue;
      }
      if (def.http && !o.http) {
        o.report({ message: `format variable '${name}' is reserved for HTTP mode` });
        continue;
      }
      nodes.push(def.make(applyFlags(defaults, flags)));
      continue;
    }
    if (j >= format.length) {
      o.report({ message: `truncated line after '%'` });
      break;
    }
    if (/[0-9 \t]/.test(format[j]!)) {
      o.report({ message: `unexpected variable name near '${format[j]}' at position ${j} line : '${format}'. Maybe you want to write a single '%', use the syntax '%%'` });
      return renderNodes(nodes);
    }
    // Any other character after '%': HAProxy drops the '%' and goes on with the text.
    i = j;
  }
  flush();
  return renderNodes(nodes);
}

function sampleNode(expr: NonNullable<ReturnType<typeof parseSampleExpression>['expr']>, f: NodeFlags, env: CompileEnv): Renderer {
  const s = compileSample(expr, env);
  return (x) => {
    const ctx: StreamContext = x.ctx;
    // Log-time fetches run in the `log` phase, with everything final.
    const phase = ctx.phase;
    const final = ctx.final;
    ctx.phase = 'log';
    ctx.final = true;
    try {
      return textValue(sampleText(s.one(ctx)), f);
    } finally {
      ctx.phase = phase;
      ctx.final = final;
    }
  };
}

function renderNodes(nodes: readonly Node[]): LineRenderer {
  if (nodes.length === 0) return () => '';
  return (x) => {
    let out = '';
    let lastSpace = true;
    for (const n of nodes) {
      if (n === SEPARATOR) {
        if (!lastSpace) {
          out += ' ';
          lastSpace = true;
        }
      } else if (typeof n === 'string') {
        out += n;
        lastSpace = false;
      } else {
        const v = n(x);
        if (v !== null) {
          out += v;
          lastSpace = false;
        }
      }
    }
    return out;
  };
}
