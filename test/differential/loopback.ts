// Loopback plumbing for the HTTP differential suites: echo origins that answer with JSON of
// what they received, a raw one-request client, waiting for a port, and turning a case's
// request into the headers that tell the echo origin how to reply.
import { connect, createServer, type Server } from 'node:net';
import type { Req } from './http-cases.js';

export interface Observed { status: number | null; headers: [string, string][]; body: string }

/** One raw HTTP/1.1 request; status null when the connection closes with no response. */
export function send(port: number, r: Req): Promise<Observed> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const head = [`${r.method ?? 'GET'} ${r.uri} HTTP/1.1`, 'host: test.local', ...(r.headers ?? []).map(([n, v]) => `${n}: ${v}`), 'connection: close', '', ''].join('\r\n');
    s.on('connect', () => s.write(head));
    s.on('data', (d) => chunks.push(d));
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      if (!text) return resolve({ status: null, headers: [], body: '' });
      const [h, ...rest] = text.split('\r\n\r\n');
      const lines = h!.split('\r\n');
      const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    };
    s.on('end', done);
    s.on('error', done);
    s.setTimeout(3000, () => s.destroy());
    s.on('close', done);
  });
}


/** The request as sent: `reply` becomes `x-echo-status` / `x-echo-header` lines for the origin. */
export function withReplyHeaders(plain: Req): Req {
  if (!plain.reply) return plain;
  return { ...plain, headers: [...(plain.headers ?? []),
    ...(plain.reply.status ? [['x-echo-status', String(plain.reply.status)] as [string, string]] : []),
    ...(plain.reply.headers ?? []).map(([n, v]) => ['x-echo-header', `${n}: ${v}`] as [string, string])] };
}

/** What the echo origin received, when the response came from it. */
export interface Echo { port: number; method: string; uri: string; headers: [string, string][] }

export function echoOf(observed: Observed): Echo | undefined {
  return observed.headers.some(([n]) => n === 'x-origin') ? JSON.parse(observed.body) as Echo : undefined;
}

export async function waitPort(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 30));
  }
  return false;
}

/** Echo origins on `ports`: each answers one request per connection with JSON of what it received. */
export async function startEchoOrigins(ports: readonly number[]): Promise<Server[]> {
  const servers: Server[] = [];
  for (const port of ports) {
    const srv = createServer((sock) => {
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.slice(0, end).split('\r\n');
        const [method, uri] = lines[0]!.split(' ');
        const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
        const body = JSON.stringify({ port, method, uri, headers });
        // The reply the test asked for: a status and extra header lines, after the fixed ones.
        const status = Number(headers.find(([n]) => n!.toLowerCase() === 'x-echo-status')?.[1] ?? 200);
        const extra = headers.filter(([n]) => n!.toLowerCase() === 'x-echo-header').map(([, v]) => `${v}\r\n`).join('');
        sock.end(`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Other'}\r\ncontent-type: application/json\r\nx-origin: ${port}\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        buf = '';
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((res) => srv.listen(port, '127.0.0.1', () => res()));
    servers.push(srv);
  }
  return servers;
}

export function closeAll(servers: readonly Server[]): Promise<unknown> {
  return Promise.all(servers.map((o) => new Promise((res) => o.close(() => res(undefined)))));
}
