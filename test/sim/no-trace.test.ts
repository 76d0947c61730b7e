// Running without a trace (`run(…, { trace: false })`, the proxy's and the benchmark's hot path)
// decides exactly what the traced run decides: same backend, server, outcome, status, forwarded
// request, response, variables and stick/round-robin state, with `phases` and `trace` empty.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIPv4, type SimRequest, type SimResult } from '../../packages/sim/src/index.js';
import { feConfig, pipelineOf } from './pipeline-helpers.js';

const EXAMPLE = readFileSync(new URL('../../examples/design-note-fixed.cfg', import.meta.url), 'utf8');

const verdict = (r: SimResult) => ({ ...r, phases: undefined, trace: undefined });

const cases: { name: string; cfg: string; requests: SimRequest[] }[] = [
  {
    name: 'the design-note example: reject, use-server, stickiness, 503',
    cfg: EXAMPLE,
    requests: [
      { uri: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.1' },
      { uri: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.2' },
      { uri: '/163yun/a', headers: [['netease', '1'], ['server-1', 'y']], src: '192.0.2.2' },
      { uri: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.2' },
      { uri: '/163yun/a', src: '192.0.2.3' },
      { uri: '/elsewhere', headers: [['netease', '1']] },
      { uri: '/163yun/a', headers: [['netease', '1']], src: '114.114.114.114' },
    ],
  },
  {
    name: 'unless, negation, OR groups, MISS-free conditions and dynamic use_backend',
    cfg: feConfig([
      'acl api path_beg /api',
      'acl admin hdr(x-role) -i admin',
      'http-request deny deny_status 403 if api !admin',
      'http-request set-header X-Hit 1 if { path_end .js } || admin',
      'http-request set-var(txn.k) path,lower unless { method POST }',
      'use_backend be_%[req.hdr(x-be)] if { req.hdr(x-be) -m found }',
    ], ['balance roundrobin', 'server s2 127.0.0.1:9002']).replace('frontend fe', 'backend be_x\n    server x 127.0.0.1:9003\nfrontend fe'),
    requests: [
      { uri: '/api/x' },
      { uri: '/api/x', headers: [['x-role', 'ADMIN']] },
      { uri: '/a.js' },
      { uri: '/Z', method: 'POST' },
      { uri: '/Z', headers: [['x-be', 'x']] },
      { uri: '/Z', headers: [['x-be', 'nosuch']] },
      { uri: '/Z' },
    ],
  },
  {
    name: 'stick rules with conditions and a rate limit',
    cfg: feConfig([
      'stick-table type ip size 1k expire 1m store http_req_rate(10s)',
      'http-request track-sc0 src',
      'http-request deny deny_status 429 if { sc_http_req_rate(0) gt 2 }',
    ], ['stick-table type string size 1k', 'stick on req.hdr(x-u) if { req.hdr(x-u) -m found }', 'server s2 127.0.0.1:9002']),
    requests: Array.from({ length: 5 }, (_, i) => ({ uri: '/', headers: [['x-u', `u${i % 2}`]] as [string, string][] })),
  },
];

describe('run without a trace', () => {
  for (const c of cases) {
    it(`decides as the traced run does: ${c.name}`, () => {
      const p = pipelineOf(c.cfg);
      const traced = p.createRuntime();
      const quiet = p.createRuntime();
      for (const r of c.requests) {
        const a = p.run(r, traced, { status: 200 });
        const b = p.run(r, quiet, { status: 200 }, { trace: false });
        expect(verdict(b)).toEqual(verdict(a));
        expect(b.phases).toEqual([]);
        expect(b.trace).toEqual([]);
        expect(a.trace.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('parseIPv4 (strict dotted quad)', () => {
  const table: [string, number[] | undefined][] = [
    ['192.0.2.1', [192, 0, 2, 1]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['010.1.1.1', [10, 1, 1, 1]],
    ['256.1.1.1', undefined],
    ['1.2.3', undefined],
    ['1.2.3.4.5', undefined],
    ['1..3.4', undefined],
    ['1.2.3.', undefined],
    ['.1.2.3', undefined],
    ['1.2.3.4 ', undefined],
    ['1234.1.1.1', undefined],
    ['a.b.c.d', undefined],
    ['', undefined],
    ['::1', undefined],
  ];
  it.each(table)('%s → %j', (text, bytes) => {
    const a = parseIPv4(text);
    expect(a ? [...a.bytes] : undefined).toEqual(bytes);
  });
});
