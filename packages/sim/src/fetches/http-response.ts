// HTTP response fetches: status, version, headers, Set-Cookie values, captured headers.
import { bin, MISS, sint, str, type Outcome } from '../sample/sample.js';
import type { HttpResponse, StreamContext } from '../stream/context.js';
import { cookieFetches, headerBlockFetch, headerFetches } from './headers.js';
import { alias, plain, type FetchDef } from './registry.js';

function withRes(f: (r: HttpResponse) => Outcome): (ctx: StreamContext) => Outcome {
  return (ctx) => {
    const r = ctx.response;
    if (!r) return ctx.final ? undefined : MISS;
    return f(r);
  };
}

export const httpResponseFetches: readonly FetchDef[] = [
  plain('status', 'sint', withRes((r) => sint(r.status))),
  ...alias(plain('res.ver', 'str', withRes((r) => str(r.version))), 'resp_ver'),
  plain('res.body', 'bin', withRes((r) => bin(r.body))),
  plain('res.body_len', 'sint', withRes((r) => sint(r.body.length))),
  ...headerFetches('res', {
    hdr: ['res.hdr', 'shdr'], fhdr: ['res.fhdr'], cnt: ['res.hdr_cnt', 'shdr_cnt'], fcnt: ['res.fhdr_cnt'],
    val: ['res.hdr_val', 'shdr_val'], ip: ['res.hdr_ip', 'shdr_ip'],
  }),
  headerBlockFetch('res.hdrs', 'res'),
  ...cookieFetches('res', { cook: ['res.cook', 'scook'], cnt: ['res.cook_cnt', 'scook_cnt'], val: ['res.cook_val', 'scook_val'] }),
  {
    name: 'capture.res.hdr',
    output: 'str',
    compile(args) {
      const i = Number(args[0] ?? 0);
      return { one: (ctx) => { const v = ctx.captures.responseHeaders[i]; return v === undefined ? undefined : str(v); } };
    },
  },
];
