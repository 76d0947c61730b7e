// What one log line is rendered from: the stream's record and context, plus the frontend's
// fixed facts and the connection counts at the moment of logging.
import type { StreamContext } from '@haplo/sim';
import type { StreamLogRecord } from './stream-log-record.js';

/** Concurrent connections when the line is logged (%ac %fc %bc %sc). */
export interface ConnectionCounts {
  /** Connections on the process. */
  actconn: number;
  /** Connections on the frontend. */
  feconn: number;
  /** Streams on the backend (served and queued). */
  beconn: number;
  /** Streams still served by the server. */
  srvConn: number;
}

/** Facts about the logging frontend that do not change per request. */
export interface FrontendLogFacts {
  name: string;
  /** Some bind line of the frontend is `ssl` (%ft appends `~`). */
  tls: boolean;
  /** Number of request / response capture slots (`capture request header`, …). */
  requestCaptures: number;
  responseCaptures: number;
  /** option logasap: %B %Tt %Ta %Tu get a `+`. */
  early: boolean;
  /** Backends with cookie persistence (%tsc's last two letters). */
  cookieBackends: ReadonlySet<string>;
  hostname: string;
  pid: number;
}

export interface LineInput {
  rec: StreamLogRecord;
  ctx: StreamContext;
  /** Milliseconds since the epoch when the line is built. */
  now: number;
  fe: FrontendLogFacts;
  counts: ConnectionCounts;
  /** Lines this frontend logged before (%lc). */
  logCount: number;
}
