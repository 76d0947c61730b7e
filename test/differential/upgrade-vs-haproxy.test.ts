// `haplo run` against HAProxy 2.6 for HTTP/1.1 upgrades (WebSocket) under each connection mode:
// the client asks to upgrade, the origin either switches protocols (101, then echoes what the
// tunnel carries) or declines (200), and the test compares what the client received, the
// Connection and Upgrade headers the origin saw, and whether the origin connection was closed
// once the client had finished. Skipped with a message when `haproxy` is not installed.
// Loopback only, bounded, every process and server stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildProcesses } from '../support/child-processes.js';
import { hasHaproxy } from '../support/haproxy.js';

const present = hasHaproxy();
if (!present) console.warn('upgrade-vs-haproxy: haproxy is not installed; the upgrade differential suite is skipped.');

const dir = mkdtempSync(join(tmpdir(), 'haplo-upgrade-'));
const children = new ChildProcesses();

/** Where the connection-mode option is written, if anywhere. */
const MODES: { name: string; defaults?: string; backend?: string }[] = [
  { name: 'no option (keep-alive)' },
  { name: 'defaults httpclose', defaults: 'option httpclose' },
  { name: 'defaults http-server-close', defaults: 'option http-server-close' },
  { name: 'defaults http-keep-alive', defaults: 'option http-keep-alive' },
  { name: 'backend http-server-close', backend: 'option http-server-close' },
];

function config(mode: (typeof MODES)[number], port: number, origin: number): string {
  return `defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
  timeout tunnel 5s
${mode.defaults ? `  ${mode.defaults}\n` : ''}frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
${mode.backend ? `  ${mode.backend}\n` : ''}  server s1 127.0.0.1:${origin}
`;
}

const UPGRADE_REQUEST = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/** An origin that switches protocols on /ws (then echoes) and declines with a 200 elsewhere; it records what it saw. */
interface UpgradeOrigin {
  seen: string[];
  closedByProxy: number;
  close(): Promise<void>;
}

async function startUpgradeOrigin(port: number): Promise<UpgradeOrigin> {
  const origin: UpgradeOrigin = { seen: [], closedByProxy: 0, close: () => new Promise((r) => server.close(() => r())) };
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    let head = '';
    let tunnel = false;
    s.on('data', (d) => {
      if (tunnel) return void s.write(Buffer.concat([Buffer.from('echo:'), d]));
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = head.slice(0, end).split('\r\n');
      head = head.slice(end + 4);
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '-';
      origin.seen.push(`${lines[0]} connection=${header('connection')} upgrade=${header('upgrade')}`);
      if (lines[0]!.startsWith('GET /ws ')) {
        tunnel = true;
        s.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
      } else s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno');
    });
    // A FIN or a reset from the proxy, whichever comes first.
    let closed = false;
    const closedByProxy = () => {
      if (!closed) origin.closedByProxy++;
      closed = true;
    };
    s.on('end', () => {
      closedByProxy();
      s.end();
    });
    s.on('error', closedByProxy);
    s.on('close', () => sockets.delete(s));
  });
  const close = origin.close;
  origin.close = async () => {
    for (const s of sockets) s.destroy();
    await close();
  };
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return origin;
}

/**
 * One client: the upgrade request, then (on /ws) a tunnel message once the 101 is in, then its
 * FIN; or (elsewhere) a second plain request on the same connection. Returns what it received.
 */
function converse(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => c.write(UPGRADE_REQUEST(path)));
    let got = '';
    let step = 0;
    const done = setTimeout(() => c.destroy(), 2000);
    c.on('data', (d) => {
      got += d.toString('latin1');
      if (step === 0 && got.includes('\r\n\r\n')) {
        step = 1;
        if (path === '/ws') c.write('ping');
        else if (got.endsWith('no')) c.write('GET /again HTTP/1.1\r\nHost: x\r\n\r\n');
      }
      if (got.includes('echo:ping') || (path !== '/ws' && got.split('\r\n\r\n').length > 2 && got.endsWith('no'))) c.end();
    });
    c.on('error', () => {});
    c.on('close', () => {
      clearTimeout(done);
      // Header names are compared without case: HAProxy writes them in lower case.
      resolve(got.replace(/^([A-Za-z-]+):/gm, (h) => h.toLowerCase()).replace(/\r\n/g, ' | '));
    });
  });
}

describe.skipIf(!present)('HTTP upgrades: haplo run agrees with HAProxy 2.6 on loopback', () => {
  afterAll(async () => {
    await children.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const mode of MODES) {
    it(mode.name, async () => {
      const transcripts: string[][] = [[], []];
      await children.sideBySide(dir, startUpgradeOrigin, (port, origin) => config(mode, port, origin), async (ports, origins) => {
        for (const path of ['/ws', '/declined']) {
          const got = await Promise.all([converse(ports.haproxy, path), converse(ports.haplo, path)]);
          // Let the proxies' FIN to the origins arrive.
          await new Promise((r) => setTimeout(r, 100));
          origins.forEach((o, i) => {
            transcripts[i]!.push(`${path} client got: ${got[i]}`, `${path} origin saw: ${o.seen.join(' / ')}; closed by the proxy: ${o.closedByProxy}`);
            o.seen.length = 0;
            o.closedByProxy = 0;
          });
        }
      });
      // The binary's own behaviour: the tunnel carried the message both ways.
      expect(transcripts[0]![0]).toContain('echo:ping');
      expect(transcripts[1]).toEqual(transcripts[0]);
    });
  }
});

describe.runIf(!present)('upgrade-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent', () => {
    expect(hasHaproxy()).toBe(false);
  });
});
