// Compile-time helpers for action arguments: log-format and sample words become closures, so
// nothing is parsed per request.
import { parseLogFormat, parseSampleExpression, type Word } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { compileLogFormat, compileSample } from '../sample/evaluate.js';
import type { Outcome } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';

/** A log-format argument compiled to a text producer. */
export function logFormat(word: Word | undefined, env: CompileEnv): (ctx: StreamContext) => string {
  if (!word) return () => '';
  if (!word.value.includes('%')) {
    const t = word.value;
    return () => t;
  }
  const parsed = parseLogFormat(word);
  for (const e of parsed.errors) reportProblem(env, e.message, word.range);
  return compileLogFormat(parsed.format, env);
}

/** A sample-expression argument compiled to its single value. */
export function sample(word: Word | undefined, env: CompileEnv): (ctx: StreamContext) => Outcome {
  if (!word) return () => undefined;
  const parsed = parseSampleExpression(word);
  if (!parsed.expr) {
    reportProblem(env, parsed.error?.message ?? `invalid sample expression '${word.value}'`, word.range);
    return () => undefined;
  }
  return compileSample(parsed.expr, env).one;
}

/** Option words (`code 301`, `drop-query`) after the leading positional ones. */
export function options(words: readonly Word[], takesValue: ReadonlySet<string>): { name: string; value?: Word; word: Word }[] {
  const out: { name: string; value?: Word; word: Word }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (takesValue.has(w.value)) {
      out.push({ name: w.value, value: words[i + 1], word: w });
      i++;
    } else out.push({ name: w.value, word: w });
  }
  return out;
}

/**
 * HAProxy's exp_replace: the replacement text with `\0`…`\9` taken from the regex match; the
 * result replaces the whole input value, not just the matched part.
 */
export function expReplace(format: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\' && i + 1 < format.length) {
      const d = format[i + 1]!;
      if (d >= '0' && d <= '9') {
        out += m[Number(d)] ?? '';
        i++;
        continue;
      }
      out += d;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}
