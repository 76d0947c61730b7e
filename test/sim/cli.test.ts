// `haplo sim` and `haplo test` as processes (needs `tsc -b`; `npm test` builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const haplo = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/haplo.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const example = 'examples/design-note-fixed.cfg';
const tmp = mkdtempSync(join(tmpdir(), 'haplo-sim-cli-'));

describe('haplo sim', () => {
  it('prints the JSON fields the issue specifies', () => {
    const r = haplo('sim', example, '--json', '-H', 'netease: 1', '-H', 'Host: a', '/163yun/x');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, 8)).toEqual(['frontend', 'backend', 'server', 'outcome', 'status', 'request', 'response', 'phases']);
    expect(j).toMatchObject({ frontend: 'fe', backend: 'be', server: 'server-1', outcome: 'forward', status: 200 });
    expect(j.request.headers).toEqual([['netease', '1'], ['host', 'a'], ['proxy-fe', 'fe'], ['proxy-be', 'be']]);
    expect(j.phases[0]).toEqual({ phase: 'tcp-request connection', proxy: 'fe', rules: [{ line: 26, text: 'tcp-request connection reject if rule_forbidden', condition: false, action: 'reject', final: true }] });
  });
  it('prints a readable trace: phases, rules with lines, ACL samples, backend and server with the reason', () => {
    const r = haplo('sim', example, '-H', 'netease: 1', '/163yun/x');
    expect(r.code).toBe(0);
    for (const s of ['── http-request · fe', '  29  http-request set-header PROXY-FE fe', 'acl_path (acl line 32): "/163yun/x" → match',
      '→ backend be (use_backend, line 33)', '→ server server-1 (balance: roundrobin)', 'request as forwarded:', 'use-haproxy-fe: fe', '══ forward']) {
      expect(r.out).toContain(s);
    }
  });
  it('a URL sets the Host header; --src, -X and --response-status are honoured', () => {
    const j = JSON.parse(haplo('sim', example, '--json', '-X', 'POST', '--src', '192.0.2.9:1234', '--response-status', '404', '-H', 'netease: 1', 'http://www.example.com/163yun?q=1').out);
    expect(j.request).toMatchObject({ method: 'POST', uri: '/163yun?q=1' });
    expect(j.request.headers[0]).toEqual(['host', 'www.example.com']);
    expect(j.status).toBe(404);
  });
  it('--requests runs a sequence on one runtime and prints an array', () => {
    const f = join(tmp, 'reqs.json');
    writeFileSync(f, JSON.stringify([
      { path: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.1' },
      { path: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.2' },
      { path: '/163yun/a', headers: [['netease', '1']], src: '192.0.2.1' },
    ]));
    const r = haplo('sim', example, '--json', '--requests', f);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((x: { server: string }) => x.server)).toEqual(['server-1', 'server-2', 'server-1']);
  });
  it('configuration errors print diagnostics and exit 1', () => {
    const f = join(tmp, 'bad.cfg');
    writeFileSync(f, 'frontend fe\n    bind :8080\n    http-request frobnicate\n');
    const r = haplo('sim', f, '/');
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad.cfg:3:');
  });
  it('misuse exits 2 with the usage', () => {
    expect(haplo('sim').code).toBe(2);
    expect(haplo('sim', example, '/', '--frontend', 'nope').code).toBe(2);
    const h = haplo('sim', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: haplo sim CONFIG');
  });
  it('--env reads KEY=VALUE lines and refuses a line that is not one, naming the file and line', () => {
    const good = join(tmp, 'good.env');
    writeFileSync(good, '# comment\nexport NETEASE=1\n');
    expect(haplo('sim', example, '--env', good, '-H', 'netease: 1', '/163yun/x').code).toBe(0);
    const bad = join(tmp, 'bad.env');
    writeFileSync(bad, 'A=1\nnot a pair\n');
    const r = haplo('sim', example, '--env', bad, '/');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--env: '${bad}' line 2 is not KEY=VALUE: not a pair`);
  });
});

describe('haplo test', () => {
  it('passes the example cases with full coverage', () => {
    const r = haplo('test', example, 'examples/design-note.tests.json', '--coverage', '--fail-under', '100');
    expect(r.code).toBe(0);
    expect(r.out).toContain('all passed, 6/6 cases passed');
    expect(r.out).toContain('rule coverage: 100.0%');
  });
  it('reports a failure with expected against actual and the trace, exit 1', () => {
    const f = join(tmp, 'cases.json');
    writeFileSync(f, JSON.stringify({ cases: [{ name: 'wrong backend', request: { path: '/163yun', headers: [['netease', '1']] }, expect: { backend: 'nope', requestHeaders: { 'proxy-fe': 'x' } } }] }));
    const r = haplo('test', example, f);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ wrong backend');
    expect(r.out).toContain('backend: expected "nope", got "be"');
    expect(r.out).toContain('request header proxy-fe: expected "x", got "fe"');
    expect(r.out).toContain('│ ── http-request · fe');
  });
  it('lists rules no case exercised and fails under the bar', () => {
    const f = join(tmp, 'one.json');
    writeFileSync(f, JSON.stringify({ cases: [{ name: 'one', request: { path: '/x' }, expect: { status: 503 } }] }));
    const r = haplo('test', example, f, '--fail-under', '90');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not exercised examples\/design-note-fixed\.cfg:44 {2}tcp-request content reject unless has_netease/);
  });
});

describe('haplo sim --requests (golden)', () => {
  it('a rate-limit sequence on one Runtime prints the golden JSON array (test/sim/golden/rate-limit.*)', () => {
    const r = haplo('sim', 'test/sim/golden/rate-limit.cfg', '--json', '--requests', 'test/sim/golden/rate-limit.requests.json');
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(join(root, 'test/sim/golden/rate-limit.expected.json'), 'utf8'));
    const j = JSON.parse(r.out) as { outcome: string; status: number }[];
    expect(j.map((x) => `${x.outcome} ${x.status}`)).toEqual(['forward 200', 'forward 200', 'forward 200', 'deny 429', 'deny 429', 'forward 200']);
  });
});
