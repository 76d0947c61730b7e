// Which server connection a request goes out on, as HAProxy 2.6's default `http-reuse safe`
// decides (manual, http-reuse): the first request of a client connection always gets a
// connection of its own (a new one), so that a server closing it while the request is sent
// is seen by the client as a plain keep-alive failure it may retry; later requests take any
// idle connection of the server from the shared pool. After an exchange the connection goes
// straight back to that pool: a client holds a server connection only while an exchange is in
// flight, so idle clients pin nothing on the server side.
import type { StreamContext } from '@haplo/sim';
import type { Cancel, UpstreamConnection, UpstreamFailure, Upstreams } from '../process/types.js';

/** The pooled upstream layer's optional extras (upstream/upstreams.ts); a plain Upstreams has none. */
interface PoolExtras {
  takeIdle?(backend: string, server: string): UpstreamConnection | undefined;
  connect(
    backend: string,
    server: string,
    redispatch: () => string | undefined,
    done: (err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void,
    options?: { fresh?: boolean; stream?: StreamContext },
  ): Cancel;
}

const FRESH = Object.freeze({ fresh: true });

/**
 * An idle connection to hand over at once, for a request that is not its session's first
 * (and not the retry of one that met a stale pooled connection); undefined: connect.
 */
export function idleConnection(upstreams: Upstreams, backend: string, server: string): UpstreamConnection | undefined {
  return (upstreams as unknown as PoolExtras).takeIdle?.(backend, server);
}

/**
 * Starts a connection attempt; `fresh` skips the idle pool (a first request, or the retry after
 * a reused connection failed). An upstream layer without a pool ignores the option.
 */
export function connectServer(
  upstreams: Upstreams,
  backend: string,
  server: string,
  redispatch: () => string | undefined,
  done: (err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void,
  fresh: boolean,
  /** The stream, for a server's `sni <expr>` (e.g. `req.hdr(host)`). */
  stream?: StreamContext,
): Cancel {
  const options = stream ? { fresh, stream } : fresh ? FRESH : undefined;
  return (upstreams as unknown as PoolExtras).connect(backend, server, redispatch, done, options);
}
