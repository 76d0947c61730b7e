// Feeding the counters without touching the sessions: the pipeline's StreamObserver (streams),
// a wrapper around the session factories (client connections) and one around the upstream
// layer (failed connects). Installed per generation by the stats service.
import { observeStreams, type SimRuntime, type StreamEnd, type StreamObserver } from '@haplo/sim';
import type { SessionFactory } from '../process/client-session.js';
import type { Upstreams } from '../process/types.js';
import { statsOf, type ProxyStats } from './counters.js';

const DENIALS = new Set(['deny', 'tarpit', 'reject']);

/** The StreamObserver that turns the pipeline's facts into counter bumps. */
export function countingObserver(stats: ProxyStats): StreamObserver {
  return {
    connection(frontend, accepted) {
      if (!accepted) stats.frontend(frontend).dcon++;
    },
    request(frontend) {
      stats.cumReq++;
      stats.frontend(frontend).request();
    },
    backend(backend) {
      stats.backend(backend).entered();
    },
    server(backend, server) {
      stats.backend(backend).connected();
      stats.server(backend, server).connected();
    },
    redispatch(backend, server) {
      stats.backend(backend).redispatched();
      stats.server(backend, server).redispatched();
    },
    ended(e: StreamEnd) {
      const fe = stats.frontend(e.frontend);
      fe.bytes(e.bytesIn, e.bytesOut);
      if (e.status !== null) fe.response(e.status);
      if (e.intercepted) fe.intercepted++;
      const denied = DENIALS.has(e.outcome);
      if (denied && !e.backend) fe.denied();
      if (e.backend) {
        const be = stats.backend(e.backend);
        be.left();
        be.bytes(e.bytesIn, e.bytesOut);
        if (e.status !== null) be.response(e.status);
        if (denied) be.dreq++;
        if (e.server) be.reqTot++;
      }
      if (e.backend && e.server) {
        const s = stats.server(e.backend, e.server);
        s.released();
        s.reqTot++;
        s.bytes(e.bytesIn, e.bytesOut);
        if (e.status !== null) s.response(e.status);
      }
    },
  };
}

/** Starts counting the streams that run on `rt`; returns the undo. */
export function countStreams(rt: SimRuntime): () => void {
  observeStreams(rt, countingObserver(statsOf(rt)));
  return () => observeStreams(rt, undefined);
}

/** A session factory that counts accepted and closed client connections per frontend. */
export function countSessions(factory: SessionFactory): SessionFactory {
  return (ctx, frontend, socket, origin, closed) => {
    const stats = statsOf(ctx.runtime);
    const fe = stats.frontend(frontend.name);
    fe.accepted();
    stats.cumConns++;
    let done = false;
    return factory(ctx, frontend, socket, origin, () => {
      if (!done) {
        done = true;
        fe.closed();
      }
      closed();
    });
  };
}

/** The upstream layer with failed connects counted (econ) on the server and its backend. */
export function countUpstreams(upstreams: Upstreams, rt: SimRuntime): Upstreams {
  const stats = statsOf(rt);
  const counted = Object.create(upstreams) as Upstreams;
  counted.connect = (backend, server, redispatch, done, ...rest: unknown[]) => {
    let current = server;
    const again = (): string | undefined => {
      // A redispatch means the previous server failed to connect.
      stats.server(backend, current).connectFailed();
      stats.backend(backend).connectFailed();
      const next = redispatch();
      if (next !== undefined) current = next;
      return next;
    };
    const connect = upstreams.connect as (...a: unknown[]) => ReturnType<Upstreams['connect']>;
    return connect.call(upstreams, backend, server, again, (err: Parameters<typeof done>[0], conn: Parameters<typeof done>[1]) => {
      if (err && err.kind !== 'queue-timeout') {
        stats.server(backend, current).connectFailed();
        stats.backend(backend).connectFailed();
      }
      done(err, conn);
    }, ...rest);
  };
  return counted;
}
