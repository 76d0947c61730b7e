// Every simulated action, table-driven: header semantics exactly as observed on HAProxy 2.6
// (reference §5.2, probe R05), URI rewrites, variables, replies, redirects, counters.
import { describe, expect, it } from 'vitest';
import { actionCompiler, simulatedActions } from '../../packages/sim/src/index.js';
import { feConfig, forwardedHeaders, responseHeaders, simulate } from './pipeline-helpers.js';

const H = (...pairs: [string, string][]) => pairs;

describe('request header actions (observed R05 semantics)', () => {
  const cases: { name: string; rules: string[]; headers: [string, string][]; expected: string[] }[] = [
    { name: 'set-header removes every occurrence and appends one line at the end', rules: ['http-request set-header X-Existing new'],
      headers: H(['X-Existing', 'a'], ['X-Other', 'o'], ['X-Existing', 'b']), expected: ['x-other: o', 'x-existing: new'] },
    { name: 'a second set-header wins', rules: ['http-request set-header X-Set a', 'http-request set-header X-Set b'], headers: [], expected: ['x-set: b'] },
    { name: 'add-header appends lines in order', rules: ['http-request add-header X-Add 1', 'http-request add-header X-Add 2'], headers: [], expected: ['x-add: 1', 'x-add: 2'] },
    { name: 'del-header removes every line of the name', rules: ['http-request del-header X-Del'], headers: H(['X-Del', '1'], ['x-del', '2'], ['X-Keep', 'k']), expected: ['x-keep: k'] },
    { name: 'del-header -m beg matches a name prefix, case-insensitively', rules: ['http-request del-header X-Pfx- -m beg'],
      headers: H(['X-Pfx-A', '1'], ['X-Pfx-B', '2'], ['X-Keep', 'k']), expected: ['x-keep: k'] },
    { name: 'del-header -m sub', rules: ['http-request del-header mid -m sub'], headers: H(['x-amidb', '1'], ['x-keep', 'k']), expected: ['x-keep: k'] },
    { name: 'del-header -m end', rules: ['http-request del-header -id -m end'], headers: H(['x-req-id', '1'], ['x-keep', 'k']), expected: ['x-keep: k'] },
    { name: 'del-header -m reg', rules: ['http-request del-header ^x-[0-9]+$ -m reg'], headers: H(['X-12', '1'], ['x-keep', 'k']), expected: ['x-keep: k'] },
    { name: 'replace-header runs the regex on the whole line value', rules: ['http-request replace-header X-Rh (.*)-old \\1-new'],
      headers: H(['X-Rh', 'a-old, b-old']), expected: ['x-rh: a-old, b-new'] },
    { name: 'replace-value works per comma-separated value and joins rewritten values with a bare comma', rules: ['http-request replace-value X-Rv ^old$ new'],
      headers: H(['X-Rv', 'old, keep, old']), expected: ['x-rv: new, keep,new'] },
    { name: 'set-header with a missing sample adds an empty value (R07)', rules: ['http-request set-header X-Missing %[req.hdr(x-absent)]'], headers: [], expected: ['x-missing: '] },
    { name: 'log-format with a missing sample keeps the literal text (R07)', rules: ['http-request set-header X-Mixed a-%[req.hdr(x-absent)]-b'], headers: [], expected: ['x-mixed: a--b'] },
    { name: 'a rewrite is seen by later rules (lazy evaluation)', rules: ['http-request set-header X-A 1', 'http-request set-header X-B seen if { req.hdr(x-a) 1 }'], headers: [],
      expected: ['x-a: 1', 'x-b: seen'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = simulate(feConfig(c.rules), { uri: '/', headers: c.headers });
      expect(forwardedHeaders(r)).toEqual(c.expected);
    });
  }
});

describe('URI and method actions (R05)', () => {
  const cases: [string, string, string, string][] = [
    ['http-request set-path /new%[path]', '/sp/x?q=1', 'GET', '/new/sp/x?q=1'],
    ['http-request set-query x=1&%[query]', '/sq/x?q=1', 'GET', '/sq/x?x=1&q=1'],
    ['http-request set-query x=1&%[query]', '/sq/x', 'GET', '/sq/x?x=1&'],
    ['http-request set-uri /u?z=9', '/su/x?a=1', 'GET', '/u?z=9'],
    ['http-request set-pathq /p?k=v', '/a?b=c', 'GET', '/p?k=v'],
    ['http-request set-method PUT', '/sm/x', 'PUT', '/sm/x'],
    ['http-request replace-path /api/(.*) /\\1', '/api/v1/x?q=1', 'GET', '/v1/x?q=1'],
    ['http-request replace-uri ^/old(.*) /new\\1', '/old/a?b', 'GET', '/new/a?b'],
    ['http-request replace-pathq ^/a\\?(.*) /b?\\1', '/a?x=1', 'GET', '/b?x=1'],
  ];
  for (const [rule, uri, method, expected] of cases) {
    it(`${rule} turns ${uri} into ${method} ${expected}`, () => {
      const r = simulate(feConfig([rule]), { uri });
      expect(r.request).toMatchObject({ method, uri: expected });
    });
  }
});

describe('variables', () => {
  it('set-var stores a typed sample and a missing sample leaves the variable unset', () => {
    const r = simulate(feConfig(['http-request set-var(txn.a) path', 'http-request set-var(txn.b) req.hdr(x-absent)', 'http-request set-var-fmt(txn.c) %[path]-x', 'http-request set-var(txn.d) str(z)', 'http-request unset-var(txn.d)']), { uri: '/p' });
    expect(r.vars).toMatchObject({ 'txn.a': '/p', 'txn.c': '/p-x' });
    expect(r.vars['txn.b']).toBeUndefined();
    expect(r.vars['txn.d']).toBeUndefined();
  });
});

describe('final actions and their replies', () => {
  const cases: { rule: string; outcome: string; status: number | null; headers?: string[]; body?: string }[] = [
    { rule: 'http-request deny', outcome: 'deny', status: 403, headers: ['content-length: 93', 'cache-control: no-cache', 'content-type: text/html'],
      body: '<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n' },
    { rule: 'http-request deny deny_status 429', outcome: 'deny', status: 429 },
    { rule: 'http-request deny status 401 content-type text/plain string "nope" hdr X-Why test', outcome: 'deny', status: 401,
      headers: ['x-why: test', 'content-length: 4', 'content-type: text/plain'], body: 'nope' },
    { rule: 'http-request deny hdr X-A 1', outcome: 'deny', status: 403, headers: ['x-a: 1', 'content-length: 0'], body: '' },
    { rule: 'http-request tarpit', outcome: 'tarpit', status: 500 },
    { rule: 'http-request reject', outcome: 'reject', status: null },
    { rule: 'http-request return', outcome: 'return', status: 200, headers: ['content-length: 0'], body: '' },
    { rule: 'http-request return status 204', outcome: 'return', status: 204, headers: [], body: '' },
    { rule: 'http-request return status 200 content-type text/plain lf-string "p=%[path]" hdr X-A b', outcome: 'return', status: 200,
      headers: ['x-a: b', 'content-length: 5', 'content-type: text/plain'], body: 'p=/lf' },
    { rule: 'http-request auth realm Secret', outcome: 'deny', status: 401,
      headers: ['content-length: 112', 'cache-control: no-cache', 'content-type: text/html', 'www-authenticate: Basic realm="Secret"'] },
    { rule: 'http-request redirect location /new', outcome: 'redirect', status: 302, headers: ['content-length: 0', 'location: /new', 'cache-control: no-cache'] },
    { rule: 'http-request redirect location /new code 301', outcome: 'redirect', status: 301, headers: ['content-length: 0', 'location: /new'] },
    { rule: 'http-request redirect location /n code 303', outcome: 'redirect', status: 303, headers: ['content-length: 0', 'location: /n', 'cache-control: no-cache'] },
    { rule: 'http-request redirect location /n code 307', outcome: 'redirect', status: 307, headers: ['content-length: 0', 'location: /n', 'cache-control: no-cache'] },
    { rule: 'http-request redirect location /n code 308', outcome: 'redirect', status: 308, headers: ['content-length: 0', 'location: /n'] },
    { rule: 'http-request redirect prefix /pfx', outcome: 'redirect', status: 302, headers: ['content-length: 0', 'location: /pfx/lf?y=1', 'cache-control: no-cache'] },
    { rule: 'http-request redirect prefix /p drop-query append-slash', outcome: 'redirect', status: 302, headers: ['content-length: 0', 'location: /p/lf/', 'cache-control: no-cache'] },
    { rule: 'http-request redirect scheme https', outcome: 'redirect', status: 302, headers: ['content-length: 0', 'location: https://ex.com/lf?y=1', 'cache-control: no-cache'] },
    { rule: 'http-request redirect prefix /p set-cookie A=1', outcome: 'redirect', status: 302,
      headers: ['content-length: 0', 'location: /p/lf?y=1', 'cache-control: no-cache', 'set-cookie: A=1; path=/;'] },
    { rule: 'http-request redirect prefix /p clear-cookie B', outcome: 'redirect', status: 302,
      headers: ['content-length: 0', 'location: /p/lf?y=1', 'cache-control: no-cache', 'set-cookie: B; path=/; Max-Age=0;'] },
  ];
  for (const c of cases) {
    it(`${c.rule} → ${c.outcome} ${c.status ?? '(no response)'}`, () => {
      const r = simulate(feConfig([c.rule]), { uri: c.rule.includes('lf-string') ? '/lf' : '/lf?y=1', headers: [['Host', 'ex.com']] });
      expect(r.outcome).toBe(c.outcome);
      expect(r.status).toBe(c.status);
      expect(r.request).toBeNull();
      expect(r.backend).toBeNull();
      if (c.headers) expect(responseHeaders(r)).toEqual(c.headers);
      if (c.body !== undefined) expect(r.body).toBe(c.body);
    });
  }
});

describe('response-side actions', () => {
  it('http-response edits the server reply; set-status changes the status and reason', () => {
    const r = simulate(feConfig(['http-response set-header X-F fe', 'http-response del-header Server'], ['http-response set-status 201 reason Made', 'http-response add-header X-B be']),
      { uri: '/' }, { status: 200, headers: [['Server', 'x'], ['X-Keep', '1']] });
    expect(r.status).toBe(201);
    // The simulated reply said no length: the head as written says its body's.
    expect(responseHeaders(r)).toEqual(['x-keep: 1', 'x-b: be', 'x-f: fe', 'content-length: 0']);
  });
  it('http-response deny answers 502 by default', () => {
    const r = simulate(feConfig([], ['http-response deny if { status 500 }']), { uri: '/' }, { status: 500 });
    expect(r).toMatchObject({ outcome: 'deny', status: 502, backend: 'be', server: 's1' });
  });
});

describe('stick counters', () => {
  it('track-sc0 counts the first request as 1 and sc-inc-gpc0 increments across requests', () => {
    const text = feConfig(['stick-table type ip size 1k expire 1m store http_req_cnt,gpc0', 'http-request track-sc0 src', 'http-request sc-inc-gpc0(0)',
      'http-request set-header X-Cnt %[sc0_http_req_cnt]', 'http-request set-header X-Gpc %[sc0_get_gpc0]']);
    const { pipelineOf } = require_();
    const p = pipelineOf(text);
    const rt = p.createRuntime();
    const a = p.run({ uri: '/' }, rt);
    const b = p.run({ uri: '/' }, rt);
    expect(forwardedHeaders(a)).toEqual(['x-cnt: 1', 'x-gpc: 1']);
    expect(forwardedHeaders(b)).toEqual(['x-cnt: 2', 'x-gpc: 2']);
  });
});

describe('the action table', () => {
  it('every action a rule set may use is either simulated or reported unsupported in the trace', () => {
    expect(simulatedActions()).toContain('replace-value');
    expect(actionCompiler('normalize-uri')).toBeUndefined();
    const r = simulate(feConfig(['http-request normalize-uri path-merge-slashes']), { uri: '//a' });
    const rule = r.trace.find((e) => e.type === 'rule');
    expect(rule).toMatchObject({ action: 'normalize-uri', unsupported: "'http-request normalize-uri' is not simulated" });
  });
});

import * as helpers from './pipeline-helpers.js';
function require_() { return helpers; }
