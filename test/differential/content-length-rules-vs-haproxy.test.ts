// `haplo run` against HAProxy 2.6 when the rules leave a Content-Length: one that contradicts the
// body makes 2.6 answer a request with 500 (nothing reaches the server) and drop a response
// (nothing reaches the client); the same length, or one on a request without a body, goes on;
// a Content-Length beside Transfer-Encoding is gone before the rules run. Each case compares the
// bytes the client received and the heads the origin saw. Skipped with a message when `haproxy`
// is not installed. Loopback only, bounded, every process and server stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildProcesses } from '../support/child-processes.js';
import { hasHaproxy } from '../support/haproxy.js';

const present = hasHaproxy();
if (!present) console.warn('content-length-rules-vs-haproxy: haproxy is not installed; the differential suite is skipped.');

const dir = mkdtempSync(join(tmpdir(), 'haplo-cl-rules-'));
const children = new ChildProcesses();

/** The origin's answers, by path. */
const ANSWERS: Record<string, string> = {
  '/len11': 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world',
  '/ok': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  '/chunked': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
  '/close': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello world',
};

/** An origin answering by path (`/close`: until it closes), recording the heads it is sent. */
async function startOrigin(port: number): Promise<{ heads: string[]; close(): Promise<void> }> {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end);
      buf = '';
      heads.push(head.split('\r\n').join(' | '));
      const path = head.split(' ')[1] ?? '/';
      const answer = ANSWERS[path] ?? ANSWERS['/ok']!;
      if (path === '/close') s.end(answer);
      else s.write(answer);
    });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    heads,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Sends `request` on a fresh connection; what came back before the proxy closed (or 2 s of quiet). */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => c.write(request));
    let got = '';
    let quiet = setTimeout(() => c.destroy(), 2000);
    c.on('data', (d) => {
      got += d.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(() => c.destroy(), 2000);
    });
    c.on('error', () => {});
    c.on('close', () => {
      clearTimeout(quiet);
      resolve(got);
    });
  });
}

// `Connection: close`: the proxy ends each exchange by closing, so no case waits for quiet.
const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
const POST_5 = 'POST /p HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello';
const POST_CHUNKED = 'POST /p HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
const POST_BOTH = 'POST /p HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n';

const CASES: { rule: string; requests: string[] }[] = [
  { rule: 'http-response set-header Content-Length 2', requests: [GET('/len11'), GET('/chunked'), GET('/close'), GET('/ok')] },
  { rule: 'http-response set-header Content-Length 02', requests: [GET('/ok')] },
  { rule: 'http-request set-header Content-Length 2', requests: [POST_5, GET('/ok')] },
  { rule: 'http-request set-header Content-Length 5', requests: [POST_5, POST_CHUNKED] },
  { rule: 'http-request set-header X-CL %[req.hdr_cnt(content-length)]', requests: [POST_BOTH] },
];

function config(rule: string, port: number, origin: number): string {
  return `defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  ${rule}
  server s1 127.0.0.1:${origin}
`;
}

describe.skipIf(!present)('Content-Length left by the rules: haplo run agrees with HAProxy 2.6 on loopback', () => {
  afterAll(async () => {
    await children.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `requests` through both proxies configured with `rule`: [HAProxy's transcript, haplo's]. */
  function both(rule: string, requests: string[]): Promise<[string[], string[]]> {
    return children.sideBySide(dir, startOrigin, (port, origin) => config(rule, port, origin), async (ports, origins) => {
      const out: [string[], string[]] = [[], []];
      for (const request of requests) {
        const got = await Promise.all([exchange(ports.haproxy, request), exchange(ports.haplo, request)]);
        origins.forEach((o, i) => {
          out[i]!.push(`${request.split('\r\n')[0]} → client got ${JSON.stringify(got[i])}; origin saw ${JSON.stringify(o.heads.splice(0))}`);
        });
      }
      return out;
    });
  }

  for (const c of CASES) {
    it(c.rule, async () => {
      const [haproxy, haplo] = await both(c.rule, c.requests);
      expect(haplo).toEqual(haproxy);
    });
  }

  it('the binary refuses what the cases say it refuses', async () => {
    const [haproxy] = await both('http-request set-header Content-Length 2', [POST_5]);
    expect(haproxy[0]).toContain('500 Internal Server Error');
    expect(haproxy[0]).toContain('origin saw []');
  });

  it('a length longer than the body: 2.6 sends it and the shorter body (a malformed response); haplo drops it as 2.6 drops a shorter one (RFC 9110 §8.6)', async () => {
    const [haproxy, haplo] = await both('http-response set-header Content-Length 3', [GET('/ok')]);
    expect(haproxy[0]).toContain('client got "HTTP/1.1 200 OK\\r\\ncontent-length: 3\\r\\nconnection: close\\r\\n\\r\\nok"');
    expect(haplo[0]).toContain('client got ""');
  });
});

describe.runIf(!present)('content-length-rules-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent', () => {
    expect(hasHaproxy()).toBe(false);
  });
});
