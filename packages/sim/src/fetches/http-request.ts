// HTTP request fetches: the request line, URI parts, headers, cookies, URL and body
// parameters, the body, and the captured request line.
import { bin, bool, MISS, parseLeadingInt, sint, str, type Outcome } from '../sample/sample.js';
import { isResponsePhase, KNOWN_METHODS, rawRequestBuffer, txnMethod, type HttpRequest, type StreamContext } from '../stream/context.js';
import { firstValue } from '../stream/headers.js';
import { paramValues, pathAndQuery, uriPath, uriQuery, urlParamList } from '../stream/uri.js';
import { cookieFetches, headerBlockFetch, headerFetches } from './headers.js';
import { alias, plain, type FetchDef } from './registry.js';
import { fullHash } from '../converters/hashes.js';

/** Runs `f` on the request, or gives MISS/no sample when there is none yet. */
function withReq(f: (r: HttpRequest, ctx: StreamContext) => Outcome): (ctx: StreamContext) => Outcome {
  return (ctx) => {
    const r = ctx.request;
    if (!r) return ctx.final ? undefined : MISS;
    return f(r, ctx);
  };
}

const maybe = (v: string | undefined): Outcome => (v === undefined ? undefined : str(v));

function base(r: HttpRequest, withQuery: boolean): string | undefined {
  const p = withQuery ? pathAndQuery(r.uri) : uriPath(r.uri);
  const host = firstValue(r.headers, 'host');
  if (host === undefined && p === undefined) return undefined;
  return (host ?? '') + (p ?? '');
}

/** base32: sdbm-like hash over Host then path, then full_hash (src/http_fetch.c). */
function base32(r: HttpRequest): number {
  let hash = 0;
  const feed = (s: string): void => {
    for (const b of new TextEncoder().encode(s)) hash = (b + (hash << 6) + (hash << 16) - hash) >>> 0;
  };
  feed(firstValue(r.headers, 'host') ?? '');
  feed(uriPath(r.uri) ?? '');
  return fullHash(hash);
}

function serializedLength(r: HttpRequest): number {
  let n = `${r.method} ${r.uri} HTTP/${r.version}\r\n`.length + 2;
  for (const e of r.headers.entries) n += e.name.length + 2 + e.value.length + 2;
  return n + r.body.length;
}

/** url_param / urlp: every value of the parameter in the query (split on `&` or the given delimiter). */
function urlParamFetch(name: string, output: 'str' | 'sint'): FetchDef {
  return {
    name,
    output,
    compile(args) {
      const param = args[0] === undefined || args[0] === '' ? undefined : args[0];
      const delim = args[1] ? args[1][0]! : '?';
      const values = (r: HttpRequest): string[] => {
        const q = urlParamList(r.uri, delim);
        return q === undefined ? [] : paramValues(q, param, delim);
      };
      const toSample = output === 'str' ? str : (v: string) => sint(parseLeadingInt(v));
      return {
        one: withReq((r) => {
          const vs = values(r);
          return vs.length === 0 ? undefined : toSample(vs[0]!);
        }),
        all(ctx) {
          const r = ctx.request;
          if (!r) return ctx.final ? [] : MISS;
          return values(r).map(toSample);
        },
      };
    },
  };
}

/** Body fetches give MISS until the whole body is there (unless the wait is over). */
function withBody(f: (r: HttpRequest) => Outcome): (ctx: StreamContext) => Outcome {
  return withReq((r, ctx) => (!r.bodyComplete && !ctx.final ? MISS : f(r)));
}

const bodyParam: FetchDef = {
  name: 'req.body_param',
  output: 'bin',
  compile(args) {
    const param = args[0] === undefined || args[0] === '' ? undefined : args[0];
    return {
      one: withBody((r) => {
        const vs = paramValues(new TextDecoder().decode(r.body), param);
        return vs.length === 0 ? undefined : bin(new TextEncoder().encode(vs[0]!));
      }),
    };
  },
};

export const httpRequestFetches: readonly FetchDef[] = [
  // txn->meth: set-method does not change what this returns for a known method (HAProxy 2.6).
  ...alias(plain('method', 'meth', withReq((_r, ctx) => {
    const m = txnMethod(ctx)!;
    return KNOWN_METHODS.has(m) || !isResponsePhase(ctx.phase) ? { type: 'meth', value: m } : undefined;
  })), 'meth'),
  plain('path', 'str', withReq((r) => maybe(uriPath(r.uri)))),
  plain('pathq', 'str', withReq((r) => maybe(pathAndQuery(r.uri)))),
  plain('url', 'str', withReq((r) => str(r.uri))),
  plain('query', 'str', withReq((r) => maybe(uriQuery(r.uri)))),
  plain('base', 'str', withReq((r) => maybe(base(r, false)))),
  plain('baseq', 'str', withReq((r) => maybe(base(r, true)))),
  plain('base32', 'sint', withReq((r) => sint(base32(r)))),
  ...alias(plain('req.ver', 'str', withReq((r) => str(r.version))), 'req_ver'),
  ...alias(plain('req.proto_http', 'bool', withReq(() => bool(true))), 'req_proto_http'),
  // a TCP stream's request buffer is the described body; an HTTP stream's, the serialized request
  ...alias(plain('req.len', 'sint', withReq((r, ctx) => sint(rawRequestBuffer(ctx)?.length ?? serializedLength(r))), { mayChange: (ctx) => !ctx.final }), 'req_len'),
  plain('req.body', 'bin', withBody((r) => bin(r.body))),
  plain('req.body_len', 'sint', withBody((r) => sint(r.body.length))),
  plain('req.body_size', 'sint', withReq((r) => {
    const cl = firstValue(r.headers, 'content-length');
    return sint(cl !== undefined ? parseLeadingInt(cl) : r.body.length);
  })),
  bodyParam,
  ...headerFetches('req', {
    hdr: ['req.hdr'], fhdr: ['req.fhdr'], cnt: ['req.hdr_cnt'], fcnt: ['req.fhdr_cnt'], val: ['req.hdr_val'], ip: ['req.hdr_ip'],
  }),
  // `hdr` and friends read the request in request phases and the response in response phases.
  ...headerFetches('auto', { hdr: ['hdr'], fhdr: [], cnt: ['hdr_cnt'], fcnt: [], val: ['hdr_val'], ip: ['hdr_ip'] }),
  headerBlockFetch('req.hdrs', 'req'),
  ...cookieFetches('req', { cook: ['req.cook', 'cook', 'cookie'], cnt: ['req.cook_cnt', 'cook_cnt'], val: ['req.cook_val', 'cook_val'] }),
  urlParamFetch('url_param', 'str'),
  urlParamFetch('urlp', 'str'),
  urlParamFetch('urlp_val', 'sint'),
  plain('capture.req.method', 'str', (ctx) => (ctx.received ? str(ctx.received.method) : undefined)),
  // The captured URI is the path and query of the request line (absolute-form loses its authority).
  plain('capture.req.uri', 'str', (ctx) => (ctx.received ? maybe(pathAndQuery(ctx.received.uri)) : undefined)),
  plain('capture.req.ver', 'str', (ctx) => (ctx.received ? str(`HTTP/${ctx.received.version}`) : undefined)),
  {
    name: 'capture.req.hdr',
    output: 'str',
    compile(args) {
      const i = Number(args[0] ?? 0);
      return { one: (ctx) => maybe(ctx.captures.requestHeaders[i]) };
    },
  },
];
