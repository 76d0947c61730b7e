// The log record of an HTTP connection's current stream, filled as stream-log-record.ts
// documents. A session creates one only when its frontend logs streams (log targets and a
// format), so a frontend without logging pays nothing per request but one `undefined` check.
// Byte counts follow HAProxy's HTTP mode: %U and %B are sizes of its internal message form
// (log/message-bytes.ts), except for HAProxy's answers to bytes that never made a request
// (400, 408), which count what went on the wire.
import type { Socket } from 'node:net';
import type { Reply, StreamContext } from '@haplo/sim';
import type { RequestHead } from '../http/types.js';
import { httpHeadBytes, type FrontendLogger, type StreamLogRecord, type TerminationCause, type TerminationPhase } from '../log/index.js';

export class HttpStreamLog {
  rec: StreamLogRecord;
  /** Sent already (option logasap): the end only completes the record. */
  private emitted = false;

  constructor(private readonly logger: FrontendLogger) {
    this.rec = logger.record({ http: true });
  }

  /** The first byte of a request arrived. */
  requestStart(): void {
    this.rec.mark('request-start');
  }

  /** The head is parsed and the stream begun: captures from the head as received, %U so far. */
  requestHead(ctx: StreamContext, head: RequestHead): void {
    const rec = this.rec;
    rec.mark('request-head');
    this.logger.captureRequest(ctx, rec, head.headers);
    rec.bytesIn = httpHeadBytes([head.method, head.target, head.version === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1'], head.headers);
  }

  queued(): void {
    this.rec.mark('queued');
  }

  /** Server chosen, slot held: connecting. */
  connecting(): void {
    this.rec.mark('queue');
  }

  redispatched(): void {
    this.rec.redispatched = true;
    this.rec.retries++;
  }

  connected(socket: Socket): void {
    const rec = this.rec;
    rec.mark('connected');
    rec.serverConnection = {
      src: plain(socket.localAddress), srcPort: socket.localPort ?? 0, dst: plain(socket.remoteAddress), dstPort: socket.remotePort ?? 0,
    };
  }

  /** The server's head as received, before the response rules. */
  serverHead(ctx: StreamContext, headers: readonly (readonly [string, string])[]): void {
    this.logger.captureResponse(ctx, this.rec, headers);
  }

  /** The response head (as rewritten) goes to the client; with option logasap the line leaves now. */
  responseHead(ctx: StreamContext): void {
    const rec = this.rec;
    rec.mark('response-head');
    const r = ctx.response!;
    rec.bytesOut = entriesBytes(r.version === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1', r.status, r.reason, r.headers.entries);
    if (this.logger.early) {
      this.emitted = true;
      this.logger.emit(rec, ctx);
    }
  }

  /** One of HAProxy's answers to a request: its message size. */
  reply(reply: Reply, bodyLength: number): void {
    this.rec.bytesOut = httpHeadBytes(['HTTP/1.1', String(reply.status), reply.reason], reply.headers) + bodyLength;
  }

  /** An answer to bytes that never made a request: wire bytes, and no request line. */
  rawReply(ctx: StreamContext, wireBytes: number): void {
    ctx.received = undefined;
    this.rec.bytesOut = wireBytes;
  }

  bodyIn(n: number): void {
    this.rec.bytesIn += n;
  }

  bodyOut(n: number): void {
    this.rec.bytesOut += n;
  }

  terminate(cause: TerminationCause, phase?: TerminationPhase): void {
    this.rec.terminate(cause, phase);
  }

  set status(s: number) {
    this.rec.status = s;
  }

  /** After pipelineSession.end(): the line leaves (unless it already did). */
  end(ctx: StreamContext): void {
    this.rec.mark('end');
    if (!this.emitted) this.logger.emit(this.rec, ctx);
  }

  /** The next request of the keep-alive connection: its record starts now. */
  next(): void {
    this.rec = this.rec.next();
    this.emitted = false;
  }
}

function plain(a: string | undefined): string {
  if (!a) return '127.0.0.1';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

type Entries = readonly { readonly name: string; readonly value: string }[];

/** httpHeadBytes of a response head held as the pipeline's header entries. */
function entriesBytes(version: string, status: number, reason: string, entries: Entries): number {
  const pairs: [string, string][] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) pairs[i] = [entries[i]!.name, entries[i]!.value];
  return httpHeadBytes([version, String(status), reason], pairs);
}
