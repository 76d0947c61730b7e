// The traffic counters HAProxy's stats show, per frontend, backend and server: plain number
// fields bumped in place, one ProxyStats per generation (found from its Runtime with statsOf).
//
// Who bumps what:
//  - The pipeline (stats/observer.ts, a StreamObserver on the Runtime) already reports requests,
//    backend entries, server choices, redispatches and each stream's end (status, bytes,
//    denials): sessions need no call for these.
//  - The session factories are wrapped (stats/observer.ts countSessions): accepted/closed
//    connections per frontend (scur, smax, stot, conn_tot).
//  - The upstream layer is wrapped (countUpstreams): econ per server on failed connects.
//  - Server state, weights, checks, queues and stick tables are read when a report is built.
//
// What only a session can know, and the calls it would add (stats = statsOf(ctx.runtime)):
//  - a response the server sent that could not be parsed (502):  stats.server(be, s).responseError()
//  - the client aborted during the exchange:                        stats.server(be, s).clientAbort()
//  - the server aborted during the exchange:                        stats.server(be, s).serverAbort()
//  - a request head that could not be parsed (400):                 stats.frontend(fe).badRequest()
//    (the stream's 400 itself is already counted as a 4xx response by the pipeline)
import { newFreqCtr, readFreqCtr, updateFreqCtr, type FreqCtr, type SimRuntime } from '@haplo/sim';

/** Index of a status class in the `hrsp` arrays: 1xx…5xx, then other. */
export function statusClass(status: number): number {
  return status >= 100 && status < 600 ? Math.floor(status / 100) - 1 : 5;
}

/** A per-second rate and the highest one seen (HAProxy's freq_ctr over 1 s). */
export class Rate {
  private readonly ctr: FreqCtr = newFreqCtr();
  max = 0;

  hit(now: number): void {
    updateFreqCtr(this.ctr, 1000, now, 1);
    const r = readFreqCtr(this.ctr, 1000, now);
    if (r > this.max) this.max = r;
  }

  current(now: number): number {
    return readFreqCtr(this.ctr, 1000, now);
  }
}

/** Counters every kind of object has. */
class Traffic {
  /** Current sessions (streams) and the highest count seen. */
  scur = 0;
  smax = 0;
  /** Total sessions. */
  stot = 0;
  bin = 0;
  bout = 0;
  /** Responses by status class: 1xx, 2xx, 3xx, 4xx, 5xx, other. */
  readonly hrsp = [0, 0, 0, 0, 0, 0];
  reqTot = 0;
  readonly rate = new Rate();

  constructor(protected readonly now: () => number) {}

  /** A response of `status` reached the client. */
  response(status: number): void {
    this.hrsp[statusClass(status)]!++;
  }

  bytes(bytesIn: number, bytesOut: number): void {
    this.bin += bytesIn;
    this.bout += bytesOut;
  }

  protected enter(): void {
    this.scur++;
    this.stot++;
    if (this.scur > this.smax) this.smax = this.scur;
    this.rate.hit(this.now());
  }

  protected leave(): void {
    if (this.scur > 0) this.scur--;
  }
}

export class FrontendCounters extends Traffic {
  connTot = 0;
  dreq = 0;
  dresp = 0;
  ereq = 0;
  /** Connections refused by tcp-request connection / session rules. */
  dcon = 0;
  intercepted = 0;
  readonly connRate = new Rate();
  readonly reqRate = new Rate();

  /** A client connection was accepted (counts a session until `closed`). */
  accepted(): void {
    this.connTot++;
    this.connRate.hit(this.now());
    this.enter();
  }

  closed(): void {
    this.leave();
  }

  /** An HTTP request started. */
  request(): void {
    this.reqTot++;
    this.reqRate.hit(this.now());
  }

  denied(): void {
    this.dreq++;
  }

  badRequest(): void {
    this.ereq++;
  }
}

export class ServerCounters extends Traffic {
  dresp = 0;
  econ = 0;
  eresp = 0;
  wretr = 0;
  wredis = 0;
  cliAbrt = 0;
  srvAbrt = 0;
  /** Streams sent by load balancing (lbtot). */
  lbtot = 0;
  /** Wall-clock ms of the last stream sent here (lastsess), 0: never. */
  lastSessionAt = 0;

  /** A stream was given this server (and holds its slot until `released`). */
  connected(): void {
    this.enter();
    this.lbtot++;
    this.lastSessionAt = this.now();
  }

  released(): void {
    this.leave();
  }

  connectFailed(): void {
    this.econ++;
  }

  redispatched(): void {
    this.wredis++;
  }

  responseError(): void {
    this.eresp++;
  }

  clientAbort(): void {
    this.cliAbrt++;
  }

  serverAbort(): void {
    this.srvAbrt++;
  }
}

export class BackendCounters extends ServerCounters {
  dreq = 0;

  /** A stream entered the backend (until `left`). */
  entered(): void {
    this.scur++;
    this.stot++;
    if (this.scur > this.smax) this.smax = this.scur;
    this.rate.hit(this.now());
  }

  left(): void {
    this.leave();
  }

  /** Server choices count on the backend's lbtot, not its sessions (entered did that). */
  override connected(): void {
    this.lbtot++;
    this.lastSessionAt = this.now();
  }
}

/** Every counter of one generation. Objects are made on first use; names are config names. */
export class ProxyStats {
  readonly startedAt: number;
  private readonly frontends = new Map<string, FrontendCounters>();
  private readonly backends = new Map<string, BackendCounters>();
  private readonly servers = new Map<string, ServerCounters>();
  /** Requests over every frontend (show info CumReq) and connections (CumConns). */
  cumReq = 0;
  cumConns = 0;

  constructor(readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  frontend(name: string): FrontendCounters {
    let c = this.frontends.get(name);
    if (!c) this.frontends.set(name, (c = new FrontendCounters(this.now)));
    return c;
  }

  backend(name: string): BackendCounters {
    let c = this.backends.get(name);
    if (!c) this.backends.set(name, (c = new BackendCounters(this.now)));
    return c;
  }

  server(backend: string, server: string): ServerCounters {
    const key = `${backend}/${server}`;
    let c = this.servers.get(key);
    if (!c) this.servers.set(key, (c = new ServerCounters(this.now)));
    return c;
  }
}

const byRuntime = new WeakMap<SimRuntime, ProxyStats>();

/** The counters of the generation that owns `rt` (made on first use, on the Runtime's clock). */
export function statsOf(rt: SimRuntime): ProxyStats {
  let s = byRuntime.get(rt);
  if (!s) byRuntime.set(rt, (s = new ProxyStats(rt.now)));
  return s;
}
