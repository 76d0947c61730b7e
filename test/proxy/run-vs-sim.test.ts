// What `haplo sim` predicts is what `haplo run` does: the same configuration and the same
// requests, in the same order, once through `haplo sim --requests FILE --json` and once through
// the live proxy to real origins. Status, backend, server, the head the origin received, and the
// headers the response rules added must agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, header, oneRequest, startHttpOrigin, startProxy, type HttpOrigin, type RunningProxy } from './run-harness.js';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));

interface Case {
  method: string;
  path: string;
  headers: [string, string][];
}

const CASES: Case[] = [
  { method: 'GET', path: '/', headers: [['Host', 'www.example.test']] },
  { method: 'GET', path: '/api/users?id=7', headers: [['Host', 'api.example.test'], ['X-Client', 'one']] },
  { method: 'GET', path: '/api/users?id=8', headers: [['Host', 'api.example.test']] },
  { method: 'GET', path: '/api/orders', headers: [['Host', 'api.example.test'], ['Accept', 'application/json']] },
  { method: 'GET', path: '/admin/panel', headers: [['Host', 'www.example.test']] },
  { method: 'GET', path: '/old/page?q=1', headers: [['Host', 'www.example.test']] },
  { method: 'DELETE', path: '/api/users/3', headers: [['Host', 'api.example.test'], ['X-Debug', 'yes']] },
  { method: 'GET', path: '/static/app.js', headers: [['Host', 'static.example.test'], ['X-Remove-Me', 'please']] },
];

interface SimJson {
  backend: string | null;
  server: string | null;
  status: number | null;
  request: { method: string; uri: string; headers: [string, string][] } | null;
  response: { status: number; headers: [string, string][] } | null;
}

let dir: string;
let proxy: RunningProxy;
let port: number;
const origins: Record<string, HttpOrigin> = {};
let predictions: SimJson[];

beforeAll(async () => {
  for (const name of ['web1', 'web2', 'api1', 'api2', 'static']) origins[name] = await startHttpOrigin(name);
  port = await freePort();
  const config = `
defaults
  mode http
  option forwardfor
  timeout connect 1s
  timeout client 5s
  timeout server 5s

frontend fe
  bind 127.0.0.1:${port}
  acl is_api hdr(host) -i api.example.test
  acl is_static path_beg /static/
  http-request deny deny_status 403 if { path_beg /admin }
  http-request redirect prefix /new code 302 if { path_beg /old }
  http-request set-header X-Route %[path,field(2,/)]
  http-request del-header X-Remove-Me
  http-request set-var(txn.debug) hdr(x-debug)
  http-response set-header X-Debug-Echo %[var(txn.debug)] if { var(txn.debug) -m found }
  use_backend be_api if is_api
  use_backend be_static if is_static
  default_backend be_web

backend be_web
  balance roundrobin
  server web1 127.0.0.1:${origins.web1!.port}
  server web2 127.0.0.1:${origins.web2!.port}

backend be_api
  balance roundrobin
  http-request set-header X-Api-Method %[method]
  server api1 127.0.0.1:${origins.api1!.port}
  server api2 127.0.0.1:${origins.api2!.port}

backend be_static
  http-response set-header Cache-Control max-age=60
  server static 127.0.0.1:${origins.static!.port}
`;
  dir = mkdtempSync(join(tmpdir(), 'haplo-vs-sim-'));
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  writeFileSync(join(dir, 'requests.json'), JSON.stringify(CASES.map((c) => ({ method: c.method, path: c.path, headers: c.headers, src: '127.0.0.1:40000' }))));
  const sim = spawnSync(process.execPath, [HAPLO, 'sim', 'haproxy.cfg', '--requests', 'requests.json', '--json'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  if (sim.status !== 0) throw new Error(`haplo sim failed: ${sim.stderr}`);
  predictions = JSON.parse(sim.stdout) as SimJson[];
  proxy = await startProxy(config);
});

afterAll(async () => {
  await proxy?.stop();
  for (const o of Object.values(origins)) await o.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Headers as an origin received them: [lower-case name, value] in order. */
function received(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out;
}

describe('haplo sim predicts haplo run', () => {
  it('agrees on status, backend, server, forwarded head and response rules, request by request', async () => {
    expect(predictions).toHaveLength(CASES.length);
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i]!;
      const predicted = predictions[i]!;
      const before = Object.fromEntries(Object.entries(origins).map(([n, o]) => [n, o.seen.length]));
      const head = `${c.method} ${c.path} HTTP/1.1\r\n${c.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
      const { response, client } = await oneRequest(port, head);
      client.close();
      const servedBy = Object.entries(origins).filter(([n, o]) => o.seen.length > before[n]!).map(([n]) => n);
      const what = `${c.method} ${c.path}`;

      expect(response.status, `${what}: status`).toBe(predicted.status);
      if (predicted.request === null) {
        expect(servedBy, `${what}: no server expected`).toEqual([]);
        continue;
      }
      expect(servedBy, `${what}: server`).toEqual([predicted.server]);
      const seen = origins[predicted.server!]!.seen.at(-1)!;
      expect(seen.method, `${what}: method`).toBe(predicted.request.method);
      expect(seen.url, `${what}: uri`).toBe(predicted.request.uri);
      expect(received(seen.rawHeaders), `${what}: headers the origin got`).toEqual(predicted.request.headers);
      // Headers the response rules add (the origin's own differ from the simulated reply's).
      for (const name of ['x-debug-echo', 'cache-control']) {
        const want = predicted.response?.headers.find(([n]) => n === name)?.[1];
        expect(header(response, name), `${what}: response ${name}`).toBe(want);
      }
    }
  });

  it('names the backend the live request went to', () => {
    const backendOf: Record<string, string> = { web1: 'be_web', web2: 'be_web', api1: 'be_api', api2: 'be_api', static: 'be_static' };
    for (const p of predictions) if (p.server) expect(backendOf[p.server]).toBe(p.backend);
  });
});
