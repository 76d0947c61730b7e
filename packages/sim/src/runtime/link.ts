// How fetches, converters and actions find the Runtime of a stream: an optional `runtime` field
// on the StreamContext, which the pipeline (or the proxy) sets when it creates the context.
import type { Runtime, StreamState } from './runtime.js';

declare module '../stream/context.js' {
  interface StreamContext {
    /** The Runtime this stream runs against (stick tables, counters, servers); set by the pipeline. */
    runtime?: Runtime;
    /** That Runtime's state for this stream (see `stream()` in runtime.ts). */
    runtimeState?: StreamState;
  }
}

export {};
