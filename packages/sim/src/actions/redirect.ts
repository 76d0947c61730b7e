// `http-request redirect …`, `http-response redirect …` and the `redirect` keyword:
// location | prefix | scheme <fmt> [code N] [drop-query] [append-slash] [set-cookie N[=V]]
// [clear-cookie N] [ignore-empty]. Wire order observed on 2.6: content-length: 0, location,
// cache-control: no-cache (302, 303, 307 — not the permanent 301/308), then set-cookie.
import type { Word } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { reasonPhrase } from '../responses/status.js';
import { firstValue } from '../stream/headers.js';
import type { StreamContext } from '../stream/context.js';
import { logFormat } from './args.js';
import { splitUri } from './uri.js';
import type { ActionCompiler, CompiledAction } from './types.js';

const CODES = new Set([301, 302, 303, 307, 308]);

/** Compiles redirect words (`location /x code 301 …`) into an action. */
export function compileRedirect(words: readonly Word[], env: CompileEnv, at: Word | undefined): CompiledAction {
  const type = words[0]?.value;
  if (type !== 'location' && type !== 'prefix' && type !== 'scheme') {
    reportProblem(env, `expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was '${type ?? ''}').`, (words[0] ?? at)?.range);
  }
  const target = logFormat(words[1], env);
  let code = 302;
  let dropQuery = false;
  let appendSlash = false;
  let ignoreEmpty = false;
  const cookies: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!.value;
    if (w === 'code') {
      code = Number(words[++i]?.value);
      if (!CODES.has(code)) reportProblem(env, `'redirect': unsupported HTTP code '${words[i]?.value ?? ''}'.`, words[i]?.range);
    } else if (w === 'drop-query') dropQuery = true;
    else if (w === 'append-slash') appendSlash = true;
    else if (w === 'ignore-empty') ignoreEmpty = true;
    else if (w === 'set-cookie') cookies.push(`${words[++i]?.value ?? ''}; path=/;`);
    else if (w === 'clear-cookie') cookies.push(`${words[++i]?.value ?? ''}; path=/; Max-Age=0;`);
    else reportProblem(env, `expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was '${w}').`, words[i]!.range);
  }
  const noCache = code === 302 || code === 303 || code === 307;

  /** The path HAProxy appends for prefix/scheme: path?query, query dropped on request, then a slash. */
  const pathPart = (ctx: StreamContext): string => {
    const u = splitUri(ctx.request?.uri ?? '/');
    let p = u.path + (dropQuery ? '' : u.query);
    if (appendSlash && !p.endsWith('/')) p += '/';
    return p;
  };

  return ({ ctx }) => {
    const t = target(ctx);
    if (ignoreEmpty && t === '') return { kind: 'continue', change: 'redirect target empty (ignore-empty)' };
    let location: string;
    if (type === 'prefix') location = (t === '/' ? '' : t) + pathPart(ctx);
    else if (type === 'scheme') location = `${t}://${firstValue(ctx.request?.headers ?? { entries: [] }, 'host') ?? ''}${pathPart(ctx)}`;
    else location = t;
    const headers: [string, string][] = [['content-length', '0'], ['location', location]];
    if (noCache) headers.push(['cache-control', 'no-cache']);
    for (const c of cookies) headers.push(['set-cookie', c]);
    return {
      kind: 'final',
      outcome: 'redirect',
      reply: { status: code, reason: reasonPhrase(code), headers, body: '' },
      change: `redirect ${code} to ${location}`,
    };
  };
}

export const redirectActions: Record<string, ActionCompiler> = {
  redirect: (cx) => compileRedirect(cx.args, cx.env, cx.rule.action),
};
