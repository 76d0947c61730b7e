// Socket errors sorted the way the proxy reports them (UpstreamFailure kinds) and worded the way
// HAProxy words them (strerror text: its check notices print `info: "Connection refused"`).
import type { UpstreamFailure } from '../process/types.js';

/** strerror(3) wording of the errno names Node reports, for the ones a connect can meet. */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EHOSTDOWN: 'Host is down',
  ENETDOWN: 'Network is down',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

const KIND: Readonly<Record<string, UpstreamFailure['kind']>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ETIMEDOUT: 'timeout',
};

/** The errno name of a socket error (`ECONNREFUSED`), if it has one. */
export function errnoName(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** strerror-style text for a socket error. */
export function errorText(err: unknown): string {
  const code = errnoName(err);
  if (code && STRERROR[code]) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** A connect error as an UpstreamFailure: refused, reset, timeout, else unreachable. */
export function classifyConnectError(err: unknown): UpstreamFailure {
  const code = errnoName(err);
  return { kind: (code && KIND[code]) || 'unreachable', message: errorText(err) };
}

export const CONNECT_TIMEOUT: UpstreamFailure = Object.freeze({ kind: 'timeout', message: 'Connection timed out (timeout connect)' });
export const QUEUE_TIMEOUT: UpstreamFailure = Object.freeze({ kind: 'queue-timeout', message: 'timeout queue expired' });
