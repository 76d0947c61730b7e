// Details found by the differential suite against HAProxy 2.6.12, pinned one table row each:
// request-scope variables are pruned when the server is contacted, `method` keeps a known method
// after set-method (txn->meth), an http-errors section without the status answers an empty
// message, and cookie persistence edits the response after the http-response rules.
import { describe, expect, it } from 'vitest';
import { feConfig, forwardedHeaders, pipelineOf, responseHeaders } from './pipeline-helpers.js';
import type { SimRequest, SimulatedReply } from '../../packages/sim/src/index.js';

const header = (lines: string[], name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);

describe('behaviour HAProxy 2.6 shows on loopback', () => {
  const cases: { name: string; cfg: string; request: SimRequest; reply?: SimulatedReply; check: (fwd: string[], res: string[], status: number | null) => void }[] = [
    {
      name: 'req.* variables are gone in http-response, txn.* are not',
      cfg: feConfig(['http-request set-var(req.r) str(R)', 'http-request set-var(txn.t) str(T)', 'http-request set-header X-Req %[var(req.r)]', 'http-response set-header X-Resp %[var(txn.t)]-%[var(req.r)]']),
      request: { uri: '/' },
      check: (fwd, res) => { expect(header(fwd, 'x-req')).toBe('R'); expect(header(res, 'x-resp')).toBe('T-'); },
    },
    {
      name: 'set-method changes the request line but not what `method` and METH_* see',
      cfg: feConfig(['http-request set-method POST', 'http-request set-header X-M %[method]', 'http-request set-header X-Get 1 if METH_GET']),
      request: { uri: '/' },
      check: (fwd) => { expect(header(fwd, 'x-m')).toBe('GET'); expect(header(fwd, 'x-get')).toBe('1'); },
    },
    {
      name: 'an unknown method is read back from the rewritten request line',
      cfg: feConfig(['http-request set-method POST', 'http-request set-header X-M %[method]']),
      request: { uri: '/', method: 'PURGE' },
      check: (fwd) => expect(header(fwd, 'x-m')).toBe('POST'),
    },
    {
      name: 'errorfiles naming a section without the status: an empty message',
      cfg: ['http-errors e', '    errorfile 429 /e/429.http', feConfig(['http-request deny deny_status 403 errorfiles e'])].join('\n'),
      request: { uri: '/' },
      check: (_fwd, res, status) => { expect(status).toBe(403); expect(res).toEqual(['content-length: 0']); },
    },
    {
      name: 'the inserted cookie comes after headers set by http-response rules',
      cfg: feConfig(['http-response set-header X-Fe 1'], ['cookie SRV insert', 'http-response set-header X-Be 1']).replace('server s1 127.0.0.1:9001', 'server s1 127.0.0.1:9001 cookie c1'),
      request: { uri: '/' },
      reply: { status: 200, headers: [['Content-Length', '0']] },
      check: (_fwd, res) => expect(res).toEqual(['content-length: 0', 'x-be: 1', 'x-fe: 1', 'set-cookie: SRV=c1; path=/']),
    },
    {
      name: 'nocache: no cache-control on a 200 without freshness information',
      cfg: feConfig([], ['cookie SRV insert nocache']).replace('server s1 127.0.0.1:9001', 'server s1 127.0.0.1:9001 cookie c1'),
      request: { uri: '/' },
      check: (_fwd, res) => expect(header(res, 'cache-control')).toBeUndefined(),
    },
    {
      name: 'nocache: cache-control: private on a 200 with max-age',
      cfg: feConfig([], ['cookie SRV insert nocache']).replace('server s1 127.0.0.1:9001', 'server s1 127.0.0.1:9001 cookie c1'),
      request: { uri: '/' },
      reply: { status: 200, headers: [['Content-Length', '0'], ['Cache-Control', 'max-age=60']] },
      check: (_fwd, res) => expect(res).toEqual(['content-length: 0', 'cache-control: max-age=60', 'set-cookie: SRV=c1; path=/', 'cache-control: private']),
    },
  ];
  it.each(cases)('$name', ({ cfg, request, reply, check }) => {
    const p = pipelineOf(cfg, { '/e/429.http': 'HTTP/1.1 429 Too Many Requests\r\ncontent-type: text/plain\r\n\r\nslow\n' });
    const r = p.run(request, p.createRuntime(), reply);
    check(forwardedHeaders(r), responseHeaders(r), r.status);
  });
});

describe('early-hint', () => {
  it('notes the 103 in the trace and leaves the request as it was', () => {
    const p = pipelineOf(feConfig(['http-request early-hint Link "</style.css>; rel=preload" if { path / }']));
    const r = p.run({ uri: '/' }, p.createRuntime());
    expect(r).toMatchObject({ outcome: 'forward', status: 200 });
    const rule = r.trace.find((e) => e.type === 'rule' && e.action === 'early-hint');
    expect(rule).toMatchObject({ condition: true, change: '103 Early Hints to the client: link: </style.css>; rel=preload' });
    expect(rule).not.toHaveProperty('unsupported');
    expect(forwardedHeaders(r).some((h) => h.startsWith('link:'))).toBe(false);
  });
});

describe('a Content-Length the rules leave against the body (HAProxy 2.6, observed)', () => {
  const cfg = (rule: string) => feConfig([], [rule]);

  it('a request whose body it contradicts is answered 500 and sent to no server', () => {
    const p = pipelineOf(cfg('http-request set-header Content-Length 2'));
    const r = p.run({ method: 'POST', uri: '/p', body: 'hello' }, p.createRuntime());
    expect(r).toMatchObject({ outcome: 'error', status: 500, request: null });
    const chunked = p.run({ method: 'POST', uri: '/p', headers: [['Transfer-Encoding', 'chunked']], body: 'hello' }, p.createRuntime());
    expect(chunked).toMatchObject({ outcome: 'error', status: 500 });
  });

  it('the same length, or a request without a body (the line is left out), goes on', () => {
    const p = pipelineOf(cfg('http-request set-header Content-Length 5'));
    expect(p.run({ method: 'POST', uri: '/p', body: 'hello' }, p.createRuntime())).toMatchObject({ outcome: 'forward', status: 200 });
    const g = pipelineOf(cfg('http-request set-header Content-Length 2'));
    const get = g.run({ uri: '/g' }, g.createRuntime());
    expect(get.outcome).toBe('forward');
    expect(forwardedHeaders(get).some((h) => h.startsWith('content-length'))).toBe(false);
  });

  it('a response whose body it contradicts is dropped: no response, the client connection closed', () => {
    const p = pipelineOf(cfg('http-response set-header Content-Length 3'));
    const r = p.run({ uri: '/' }, p.createRuntime(), { headers: [['Content-Length', '11']], body: 'hello world' });
    expect(r).toMatchObject({ outcome: 'error', response: null });
    const chunked = p.run({ uri: '/' }, p.createRuntime(), { headers: [['Transfer-Encoding', 'chunked']], body: 'hello' });
    expect(chunked).toMatchObject({ outcome: 'error', response: null });
    const q = pipelineOf(cfg('http-response set-header Content-Length 02'));
    const same = q.run({ uri: '/' }, q.createRuntime(), { headers: [['Content-Length', '2']], body: 'ok' });
    expect(responseHeaders(same)).toContain('content-length: 02');
  });
});
