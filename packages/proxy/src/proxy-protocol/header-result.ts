// What reading a PROXY header from a connection's first bytes gives.
import { PROXY_ERRORS, type ProxyErrorKind } from './constants.js';

/** One type-length-value field of a v2 header, as received. */
export interface ProxyTlv {
  type: number;
  value: Uint8Array;
}

/** The client's addresses as the sending proxy saw them (what HAProxy's `src`/`dst` then give). */
export interface ProxiedAddresses {
  /** Text as glibc's inet_ntop writes it (`1.2.3.4`, `::ffff:1.2.3.4`, `2001:db8::1`). */
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  family: 4 | 6;
}

export type ProxyHeaderResult =
  /** More bytes are needed before anything can be said. */
  | { kind: 'incomplete' }
  /** Not a valid header: HAProxy drops the connection (reset, nothing sent). */
  | { kind: 'error'; error: ProxyErrorKind; message: string }
  /** v1 TCP4/TCP6 or v2 PROXY over TCP: the session takes these addresses. */
  | ({ kind: 'proxy'; version: 1 | 2; length: number; tlvs: ProxyTlv[]; authority?: string; uniqueId?: string } & ProxiedAddresses)
  /** v1 UNKNOWN or v2 LOCAL: the connection keeps its own addresses. */
  | { kind: 'local'; version: 1 | 2; length: number };

export type ProxyHeaderError = Extract<ProxyHeaderResult, { kind: 'error' }>;

export const INCOMPLETE: ProxyHeaderResult = { kind: 'incomplete' };

/** An error result: HAProxy's log text, then what exactly was wrong. */
export function headerError(error: ProxyErrorKind, detail: string): ProxyHeaderError {
  return { kind: 'error', error, message: `${PROXY_ERRORS[error]}: ${detail}` };
}
