// Loopback rig for HTTP connection modes (option httpclose / http-server-close /
// http-keep-alive): a recording origin that numbers its connections and notes, for every request,
// which connection it came on and its Connection header, and whether the proxy closed that
// connection after the response; and a raw client that sends requests one after another on one
// connection and notes each response's Connection header and when the proxy closed. Both keep
// the whole head they read, for comparisons line by line.
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface OriginSeen {
  /** 1-based number of the origin connection the request came on. */
  conn: number;
  uri: string;
  /** The request's Connection header (undefined when absent). */
  connection: string | undefined;
  /** The request line's version. */
  version: string;
  /** The head as received, without the empty line (`GET / HTTP/1.1\r\nhost: a`). */
  head: string;
}

export interface RecordingOrigin {
  port: number;
  seen: OriginSeen[];
  /** Connection numbers the proxy closed (FIN or reset) before the origin did. */
  closedByProxy: Set<number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * An origin answering every request with `200` and a 2-byte body, keeping its connection open.
 * A request header `x-reply-connection: V` makes it answer with `connection: V`; `x-reply-version:
 * 1.0` makes it answer HTTP/1.0. A WebSocket request (`upgrade: websocket` and a key) gets the
 * 101 of wsReply().
 */
export async function startRecordingOrigin(port: number): Promise<RecordingOrigin> {
  const seen: OriginSeen[] = [];
  const closedByProxy = new Set<number>();
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((sock) => {
    const id = ++count;
    sockets.add(sock);
    let buf = '';
    let selfClosed = false;
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.slice(0, end).split('\r\n');
        buf = buf.slice(end + 4);
        const [, uri, version] = lines[0]!.split(' ');
        const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const);
        const get = (n: string) => headers.find(([k]) => k === n)?.[1];
        seen.push({ conn: id, uri: uri!, connection: get('connection'), version: version ?? '', head: lines.join('\r\n') });
        const key = get('sec-websocket-key');
        if (get('upgrade') === 'websocket' && key) {
          sock.write(wsReply(key));
          continue;
        }
        const replyVersion = get('x-reply-version') === '1.0' ? '1.0' : '1.1';
        const replyConn = get('x-reply-connection');
        sock.write(`HTTP/${replyVersion} 200 OK\r\ncontent-length: 2\r\n${replyConn ? `connection: ${replyConn}\r\n` : ''}\r\nok`);
        if (replyConn === 'close' || (replyVersion === '1.0' && replyConn !== 'keep-alive')) {
          selfClosed = true;
          // The FIN follows the response a moment later: when HAProxy 2.6 reads both at once it
          // sometimes closes the client connection too, and sometimes not (seen in CI), a race
          // this comparison of connection modes is not about.
          setTimeout(() => sock.end(), 30);
        }
      }
    });
    sock.on('end', () => {
      if (!selfClosed) closedByProxy.add(id);
      sock.end();
    });
    sock.on('error', () => {
      if (!selfClosed) closedByProxy.add(id);
    });
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  return {
    port,
    seen,
    closedByProxy,
    reset() {
      seen.length = 0;
      closedByProxy.clear();
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}

/** The origin's answer to a WebSocket upgrade with `key`. */
export function wsReply(key: string): string {
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: ${accept}\r\n\r\n`;
}

export interface ClientSeen {
  status: number;
  /** The response's Connection header (undefined when absent). */
  connection: string | undefined;
  version: string;
  /** The head as received, without the empty line. */
  head: string;
}

export interface ClientTranscript {
  responses: ClientSeen[];
  /** The proxy closed the client connection after this many responses (undefined: still open). */
  closedAfter: number | undefined;
}

/** One complete response at the start of `buf` (content-length framing only), or undefined. */
function takeResponse(buf: Buffer): { seen: ClientSeen; length: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [version, status] = lines[0]!.split(' ');
  const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const);
  const length = Number(headers.find(([n]) => n === 'content-length')?.[1] ?? 0);
  if (buf.length < end + 4 + length) return undefined;
  return { seen: { status: Number(status), connection: headers.find(([n]) => n === 'connection')?.[1], version: version!.slice(5), head: lines.join('\r\n') }, length: end + 4 + length };
}

/**
 * Sends `requests` (complete heads) one after another on one connection, each once the previous
 * response is complete, then waits `settleMs` to see whether the proxy closes the connection.
 */
export function converse(port: number, requests: readonly string[], settleMs = 250): Promise<ClientTranscript> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const responses: ClientSeen[] = [];
    let buf = Buffer.alloc(0);
    let sent = 0;
    let settle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(settle);
      clearTimeout(guard);
      s.destroy();
      resolve({ responses, closedAfter: closed ? responses.length : undefined });
    };
    const guard = setTimeout(() => finish(false), 5000);
    const next = () => {
      if (sent < requests.length) s.write(requests[sent++]!);
      else settle = setTimeout(() => finish(false), settleMs);
    };
    s.on('connect', next);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const r = takeResponse(buf);
        if (!r) return;
        responses.push(r.seen);
        buf = buf.subarray(r.length);
        next();
      }
    });
    s.on('end', () => finish(true));
    s.on('error', () => finish(true));
    s.on('close', () => finish(true));
  });
}

/** A GET head; `extra` header lines go after `host`. */
export function get(uri: string, extra: readonly string[] = [], version: '1.0' | '1.1' = '1.1'): string {
  return [`GET ${uri} HTTP/${version}`, 'host: test.local', ...extra, '', ''].join('\r\n');
}
