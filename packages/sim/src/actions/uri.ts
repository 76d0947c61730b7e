// Request-line and status rewrites: set-method, set-path, set-pathq, set-query, set-uri,
// replace-path, replace-pathq, replace-uri (regex on the part, exp_replace of the whole part),
// and set-status on the response. An absolute-form URI keeps its scheme and authority.
import { reportProblem } from '../compile-env.js';
import { compileRegex } from '../regex.js';
import type { HttpRequest } from '../stream/context.js';
import { reasonPhrase } from '../responses/status.js';
import { expReplace, logFormat } from './args.js';
import type { ActionCompiler } from './types.js';

/** Splits a request URI into authority prefix (`http://h`), path and query (`?…` or ''). */
export function splitUri(uri: string): { prefix: string; path: string; query: string } {
  let prefix = '';
  let rest = uri;
  const scheme = uri.indexOf('://');
  if (!uri.startsWith('/') && scheme > 0) {
    const slash = uri.indexOf('/', scheme + 3);
    prefix = slash < 0 ? uri : uri.slice(0, slash);
    rest = slash < 0 ? '' : uri.slice(slash);
  }
  const q = rest.indexOf('?');
  return q < 0 ? { prefix, path: rest, query: '' } : { prefix, path: rest.slice(0, q), query: rest.slice(q) };
}

type Part = 'path' | 'pathq' | 'query' | 'uri';

function read(req: HttpRequest, part: Part): string {
  const u = splitUri(req.uri);
  switch (part) {
    case 'path': return u.path;
    case 'pathq': return u.path + u.query;
    case 'query': return u.query.slice(1);
    case 'uri': return req.uri;
  }
}

function write(req: HttpRequest, part: Part, value: string): void {
  const u = splitUri(req.uri);
  switch (part) {
    case 'path': req.uri = u.prefix + value + u.query; break;
    case 'pathq': req.uri = u.prefix + value; break;
    case 'query': req.uri = u.prefix + u.path + (value === '' ? '' : '?' + value); break;
    case 'uri': req.uri = value; break;
  }
}

const setPart = (part: Part): ActionCompiler => (cx) => {
  const fmt = logFormat(cx.args[0], cx.env);
  return ({ ctx }) => {
    const req = ctx.request;
    if (!req) return { kind: 'continue' };
    const before = req.uri;
    write(req, part, fmt(ctx));
    return { kind: 'continue', change: `uri ${before} → ${req.uri}` };
  };
};

const replacePart = (part: Part): ActionCompiler => (cx) => {
  const re = compileRegex(cx.args[0]?.value ?? '', false);
  if (typeof re === 'string') reportProblem(cx.env, re, cx.args[0]?.range ?? cx.rule.range);
  const fmt = logFormat(cx.args[1], cx.env);
  return ({ ctx }) => {
    const req = ctx.request;
    if (!req || typeof re === 'string') return { kind: 'continue' };
    const m = re.exec(read(req, part));
    if (!m) return { kind: 'continue', change: `${part} did not match ${re.source}` };
    const before = req.uri;
    write(req, part, expReplace(fmt(ctx), m));
    return { kind: 'continue', change: `uri ${before} → ${req.uri}` };
  };
};

const setMethod: ActionCompiler = (cx) => {
  const fmt = logFormat(cx.args[0], cx.env);
  return ({ ctx }) => {
    if (!ctx.request) return { kind: 'continue' };
    const before = ctx.request.method;
    ctx.request.method = fmt(ctx);
    return { kind: 'continue', change: `method ${before} → ${ctx.request.method}` };
  };
};

const setStatus: ActionCompiler = (cx) => {
  const code = Number(cx.args[0]?.value);
  const reason = cx.args[1]?.value === 'reason' ? cx.args[2]?.value : undefined;
  if (!Number.isInteger(code) || code < 100 || code > 999) reportProblem(cx.env, `expects an integer status code between 100 and 999`, cx.rule.range);
  return ({ ctx }) => {
    if (!ctx.response) return { kind: 'continue' };
    const before = ctx.response.status;
    ctx.response.status = code;
    ctx.response.reason = reason ?? reasonPhrase(code);
    return { kind: 'continue', change: `status ${before} → ${code} ${ctx.response.reason}` };
  };
};

export const uriActions: Record<string, ActionCompiler> = {
  'set-path': setPart('path'),
  'set-pathq': setPart('pathq'),
  'set-query': setPart('query'),
  'set-uri': setPart('uri'),
  'replace-path': replacePart('path'),
  'replace-pathq': replacePart('pathq'),
  'replace-uri': replacePart('uri'),
  'set-method': setMethod,
  'set-status': setStatus,
};
