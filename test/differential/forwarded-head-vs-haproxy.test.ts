// The heads as written, three ways: HAProxy 2.6 and `haplo run` serve the same config in front
// of their own recording origin (connection-rig.ts), and `haplo sim` predicts the same request.
// For every request the head the origin received and the response head the client received
// must be the same bytes from both proxies, and the simulator's request as forwarded and
// response as returned must be those lines. Requests cover keep-alive HTTP/1.1, HTTP/1.0,
// `Connection: close`, tokens other than close/keep-alive, a WebSocket upgrade, rules that
// write Connection and HAProxy's own answers, under http-keep-alive, http-server-close and httpclose in frontend and
// backend. Skipped with a message when `haproxy` is not installed. Loopback only, bounded,
// every process and server stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimRequest } from '../../packages/sim/src/index.js';
import { pipelineOf } from '../sim/pipeline-helpers.js';
import { ChildProcesses } from '../support/child-processes.js';
import { hasHaproxy } from '../support/haproxy.js';
import { MODE_CASES, modeConfig, type ModeCase } from './connection-mode-cases.js';
import { converse, get, startRecordingOrigin, wsReply, type RecordingOrigin } from './connection-rig.js';

const present = hasHaproxy();
if (!present) console.warn('forwarded-head-vs-haproxy: haproxy is not installed; the forwarded-head differential suite is skipped.');

const dir = mkdtempSync(join(tmpdir(), 'haplo-fwd-head-'));
const children = new ChildProcesses();

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** One request on a fresh connection; `x-reply-connection` is the Connection the origin answers with. */
const REQUESTS: { name: string; head: string }[] = [
  { name: 'HTTP/1.1, nothing said', head: get('/a') },
  { name: 'HTTP/1.1 keep-alive', head: get('/a', ['Connection: keep-alive']) },
  { name: 'HTTP/1.1 close', head: get('/a', ['Connection: close']) },
  { name: 'HTTP/1.0', head: get('/a', [], '1.0') },
  { name: 'HTTP/1.0 keep-alive', head: get('/a', ['Connection: keep-alive'], '1.0') },
  { name: 'keep-alive with a hop-by-hop X-Foo', head: get('/a', ['Connection: keep-alive, X-Foo', 'X-Foo: bar', 'Keep-Alive: timeout=5', 'TE: trailers']) },
  { name: 'HTTP/1.0 keep-alive with X-Foo', head: get('/a', ['Connection: keep-alive, X-Foo', 'X-Foo: bar'], '1.0') },
  { name: 'close in the middle of a list, two Connection lines', head: get('/a', ['Connection: X-A , close ,X-B', 'Connection: keep-alive', 'Connection: X-C']) },
  { name: 'upgrade token without Upgrade', head: get('/a', ['Connection: Upgrade']) },
  { name: 'server answers keep-alive with X-Bar', head: get('/a', ['x-reply-connection: keep-alive, X-Bar']) },
  { name: 'server answers X-Bar to an HTTP/1.0 client', head: get('/a', ['Connection: keep-alive', 'x-reply-connection: X-Bar'], '1.0') },
  { name: 'WebSocket upgrade', head: get('/ws', ['Connection: Upgrade, X-Foo', 'Upgrade: websocket', `Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13']) },
  { name: 'POST with Content-Length 005', head: 'POST /a HTTP/1.1\r\nhost: test.local\r\nContent-Length: 005\r\n\r\nhello' },
  { name: 'HTTP/1.0 POST kept alive', head: 'POST /a HTTP/1.0\r\nhost: test.local\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi' },
  { name: 'a rule writes Connection: close on the request', head: get('/rq-close') },
  { name: 'a rule writes Connection: close on the response', head: get('/rs-close') },
  { name: 'a rule writes Connection: X-Q, keep-alive', head: get('/rq-list') },
  { name: 'a rule writes Connection: keep-alive on the response', head: get('/rs-ka') },
  { name: "HAProxy's own answer to a keep-alive client", head: get('/deny') },
  { name: "HAProxy's own answer to a client that closes", head: get('/deny', ['Connection: close']) },
  { name: "HAProxy's own answer to an HTTP/1.0 keep-alive client", head: get('/deny', ['Connection: keep-alive'], '1.0') },
  { name: 'a return whose rule writes Connection: keep-alive, X-A', head: get('/return-ka') },
  { name: 'a deny whose rule writes Connection: keep-alive, to an HTTP/1.0 client', head: get('/deny-ka', [], '1.0') },
];

const RULES = `  http-request deny hdr X-Why Test if { path /deny }
  http-request return status 200 content-type text/plain string hi hdr Connection "keep-alive, X-A" if { path /return-ka }
  http-request deny hdr Connection keep-alive if { path /deny-ka }
  http-request set-header Connection close if { path /rq-close }
  http-request set-header Connection "X-Q, keep-alive" if { path /rq-list }
  http-request set-var(txn.path) path
  http-response set-header Connection close if { var(txn.path) -m str /rs-close }
  http-response set-header Connection keep-alive if { var(txn.path) -m str /rs-ka }
`;

/** The connection-mode cases this suite runs, each with the rules above in its frontend (or listen). */
const MODES: ModeCase[] = ['no option (keep-alive)', 'frontend http-server-close', 'frontend httpclose', 'backend http-server-close', 'backend httpclose']
  .map((name) => MODE_CASES.find((c) => c.name === name)!)
  .map((c) => ({ ...c, sections: c.sections.replace('  bind 127.0.0.1:PORT\n', `  bind 127.0.0.1:PORT\n${RULES}`) }));

/** A raw request as the simulator's: method, target, version, header lines and body. */
function simRequest(raw: string, port: number): SimRequest {
  const end = raw.indexOf('\r\n\r\n');
  const [start, ...lines] = raw.slice(0, end).split('\r\n');
  const [method, uri, version] = start!.split(' ');
  const headers = lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
  const body = raw.slice(end + 4);
  return { method, uri, version: version!.slice(5), headers, dst: `127.0.0.1:${port}`, ...(body ? { body } : {}) };
}

/** The origin's answer to `head`, as the simulator's server reply. */
function simulatedReply(head: string): { status: number; headers: [string, string][]; body: string } {
  const key = /Sec-WebSocket-Key: (\S+)/.exec(head)?.[1];
  if (key) {
    const lines = wsReply(key).replace(/\r\n\r\n$/, '').split('\r\n').slice(1);
    return { status: 101, headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]), body: '' };
  }
  const conn = /x-reply-connection: ([^\r]*)/.exec(head)?.[1];
  return { status: 200, headers: [['content-length', '2'], ...(conn ? [['connection', conn] as [string, string]] : [])], body: 'ok' };
}

/** What one request did on the wire: the head the origin got and the response head the client got. */
async function onWire(port: number, origin: RecordingOrigin, head: string): Promise<{ atOrigin: string; atClient: string }> {
  origin.reset();
  const t = await converse(port, [head], 60);
  return { atOrigin: origin.seen[0]?.head ?? '(nothing)', atClient: t.responses[0]?.head ?? '(nothing)' };
}

describe.skipIf(!present)('the heads as written: HAProxy 2.6, haplo run and haplo sim agree', () => {
  afterAll(async () => {
    await children.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const c of MODES) {
    it(c.name, async () => {
      const mismatches: string[] = [];
      await children.sideBySide(dir, startRecordingOrigin, (port, origin) => modeConfig(c, port, origin), async (ports, origins) => {
        const p = pipelineOf(modeConfig(c, ports.haplo, ports.haploOrigin));
        const rt = p.createRuntime();
        for (const r of REQUESTS) {
          const [haproxy, haplo] = await Promise.all([onWire(ports.haproxy, origins[0], r.head), onWire(ports.haplo, origins[1], r.head)]);
          const sim = p.run(simRequest(r.head, ports.haplo), rt, simulatedReply(r.head), { trace: false });
          const simForwarded = sim.request ? [`${sim.request.method} ${sim.request.uri} HTTP/${sim.request.version}`, ...sim.request.headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n') : '(nothing)';
          // The client's status line is HAProxy's (the simulator keeps the status, not the line).
          const simReturned = sim.response ? [haplo.atClient.split('\r\n')[0], ...sim.response.headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n') : '(nothing)';
          const same = (what: string, a: string, b: string, names: string) => {
            if (a !== b) mismatches.push(`${r.name}: ${what} (${names}):\n      ${a.replaceAll('\r\n', ' | ')}\n      ${b.replaceAll('\r\n', ' | ')}`);
          };
          same('head at the origin', haproxy.atOrigin, haplo.atOrigin, 'haproxy, haplo run');
          same('head at the client', haproxy.atClient, haplo.atClient, 'haproxy, haplo run');
          same('request as forwarded', haplo.atOrigin, simForwarded, 'haplo run, haplo sim');
          same('response as returned', haplo.atClient, simReturned, 'haplo run, haplo sim');
        }
      });
      if (mismatches.length) console.log(`[forwarded-head-vs-haproxy] ${c.name}:\n  ${mismatches.join('\n  ')}`);
      expect(mismatches).toEqual([]);
    });
  }
});

describe.runIf(!present)('forwarded-head-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent', () => {
    expect(hasHaproxy()).toBe(false);
  });
});
