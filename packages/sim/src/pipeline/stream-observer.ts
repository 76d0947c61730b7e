// Facts about streams for whoever keeps statistics (the proxy's stats counters): a Runtime may
// carry one observer, registered beside it like `proc.*` variables. PipelineSession looks it up
// once per connection and calls it at the points HAProxy bumps its proxy counters; without an
// observer (the simulator) nothing is called.
import type { Outcome } from '../actions/types.js';
import type { Runtime } from '../runtime/runtime.js';

/** How one stream ended, as the counters need it. */
export interface StreamEnd {
  frontend: string;
  /** The backend it reached, if any. */
  backend?: string;
  /** The server it was sent to, if any. */
  server?: string;
  outcome: Outcome;
  /** The status the client got; null when closed without a response. */
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  /** The pipeline's decision ended it before a server was used (deny, return, stats…). */
  intercepted: boolean;
}

export interface StreamObserver {
  /** A connection passed tcp-request connection/session rules (or was refused by them). */
  connection(frontend: string, accepted: boolean): void;
  /** An HTTP request entered the frontend's rules. */
  request(frontend: string): void;
  /** The stream entered `backend` (use_backend, default_backend, or a listen section). */
  backend(backend: string): void;
  /** A server was chosen and holds the stream's connection slot. */
  server(backend: string, server: string): void;
  /** A redispatch picked another server after a failed connection. */
  redispatch(backend: string, server: string): void;
  ended(end: StreamEnd): void;
}

const observers = new WeakMap<Runtime, StreamObserver>();

/** Registers the observer of a Runtime (one per Runtime; a new one replaces the old). */
export function observeStreams(rt: Runtime, observer: StreamObserver | undefined): void {
  if (observer) observers.set(rt, observer);
  else observers.delete(rt);
}

export function streamObserverOf(rt: Runtime): StreamObserver | undefined {
  return observers.get(rt);
}
