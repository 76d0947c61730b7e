// Where finished lines go, without ever blocking the proxy: UDP datagrams are sent
// fire-and-forget from one unreferenced socket per address family, and stdout/stderr lines are
// gathered and written once per event-loop turn (dropped, and counted, if the stream is
// already far behind, as HAProxy drops rather than waits).
import { createSocket, type Socket } from 'node:dgram';
import type { LogTarget } from './log-targets.js';

/** A stream lines are written to (process.stdout, or a test's collector). */
export interface LineStream {
  write(chunk: string): unknown;
  /** Bytes queued and not yet flushed (Node streams); writes stop when it grows too large. */
  readonly writableLength?: number;
}

export interface SinkOptions {
  stdout?: LineStream;
  stderr?: LineStream;
}

export interface LogSinks {
  /** Sends `line` (header + message, no newline) to `target`, truncated to its length. */
  send(target: LogTarget, line: string): void;
  /** Lines dropped so far (socket errors, a stream too far behind). */
  readonly dropped: number;
  /** Writes what is pending and closes the sockets. */
  close(): void;
}

/** Past this many queued bytes a stdout/stderr line is dropped rather than buffered further. */
const MAX_STREAM_BACKLOG = 4 * 1024 * 1024;
const NEWLINE = Buffer.from('\n');

export function createLogSinks(o: SinkOptions = {}): LogSinks {
  const sockets = new Map<'udp4' | 'udp6', Socket>();
  const pending = new Map<LineStream, string[]>();
  let flushScheduled = false;
  let dropped = 0;
  let closed = false;

  const socketFor = (type: 'udp4' | 'udp6'): Socket => {
    let s = sockets.get(type);
    if (!s) {
      s = createSocket(type);
      s.on('error', () => void dropped++);
      s.unref();
      sockets.set(type, s);
    }
    return s;
  };

  const flush = (): void => {
    flushScheduled = false;
    for (const [stream, lines] of pending) {
      if (lines.length) stream.write(lines.join(''));
    }
    pending.clear();
  };

  const streamFor = (fd: 1 | 2): LineStream => (fd === 1 ? o.stdout ?? process.stdout : o.stderr ?? process.stderr);

  return {
    get dropped() {
      return dropped;
    },
    send(target, line) {
      if (closed) return;
      const d = target.destination;
      const bytes = Buffer.from(line, 'utf8');
      if (d.kind === 'udp') {
        // The header and message are cut at `len`; the newline comes after.
        const body = bytes.length > target.maxLength ? bytes.subarray(0, target.maxLength) : bytes;
        const type = d.host.includes(':') ? 'udp6' : 'udp4';
        socketFor(type).send([body, NEWLINE], d.port, d.host, (err) => {
          if (err) dropped++;
        });
        return;
      }
      // On a file descriptor the newline counts in `len`.
      const limit = target.maxLength - 1;
      const text = bytes.length > limit ? bytes.subarray(0, limit).toString('utf8') : line;
      const stream = streamFor(d.fd);
      if ((stream.writableLength ?? 0) > MAX_STREAM_BACKLOG) {
        dropped++;
        return;
      }
      let lines = pending.get(stream);
      if (!lines) pending.set(stream, (lines = []));
      lines.push(text + '\n');
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      flush();
      for (const s of sockets.values()) s.close();
      sockets.clear();
    },
  };
}
