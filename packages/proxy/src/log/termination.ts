// The termination state of a stream (HAProxy manual §8.5), as data: the first letter says what
// ended the stream, the second where it stood then; HTTP logs add two cookie-persistence letters.

/** What ended the stream, first event wins (SF_ERR_* in HAProxy). */
export type TerminationCause =
  | 'normal' // both ends closed with nothing left: '-'
  | 'local' // handled by HAProxy itself (redirect, return, stats): 'L'
  | 'client-timeout' // timeout client / http-request expired: 'c'
  | 'client' // the client aborted or sent something invalid… its fault: 'C'
  | 'server-timeout' // timeout server / connect expired: 's'
  | 'server' // the server aborted, refused or reset: 'S'
  | 'proxy' // a rule or check of the proxy refused it (deny, bad request, maxconn): 'P'
  | 'resource' // a local resource ran out (sockets, memory, ports): 'R'
  | 'internal' // an internal error (a bug): 'I'
  | 'down' // killed because its server went down (on-marked-down shutdown-sessions): 'D'
  | 'killed' // killed by an admin (shutdown session): 'K'
  | 'up'; // a backup server's session killed when an active one came back: 'U'

/** Where the stream stood when it ended (SF_FINST_*). */
export type TerminationPhase =
  | 'none' // ended normally after the data: '-'
  | 'request' // waiting for (or processing) the client's request: 'R'
  | 'queue' // waiting in a queue for a server slot: 'Q'
  | 'connect' // connecting to the server: 'C'
  | 'headers' // waiting for the server's response headers (HTTP): 'H'
  | 'data' // transferring data: 'D'
  | 'last' // sending the last data to the client after the server finished: 'L'
  | 'tarpit'; // held by a tarpit rule: 'T'

export const CAUSE_LETTER: Readonly<Record<TerminationCause, string>> = {
  normal: '-', local: 'L', 'client-timeout': 'c', client: 'C', 'server-timeout': 's', server: 'S',
  proxy: 'P', resource: 'R', internal: 'I', down: 'D', killed: 'K', up: 'U',
};

export const PHASE_LETTER: Readonly<Record<TerminationPhase, string>> = {
  none: '-', request: 'R', queue: 'Q', connect: 'C', headers: 'H', data: 'D', last: 'L', tarpit: 'T',
};

/** What the client's persistence cookie did (third letter of %tsc, when the backend has `cookie`). */
export type RequestCookieState =
  | 'none' // N: the client sent no cookie
  | 'invalid' // I: it named no known server
  | 'down' // D: it named a server that was down
  | 'valid' // V: it was used
  | 'expired' // E: older than maxidle
  | 'old' // O: older than maxlife
  | 'unused'; // U: present but another rule chose the server

/** What happened to the server's persistence cookie (fourth letter of %tsc). */
export type ResponseCookieState =
  | 'none' // N: none from the server, none inserted
  | 'passive' // P: provided by the server, left as is
  | 'deleted' // D: removed by the proxy
  | 'inserted' // I: inserted by the proxy
  | 'rewritten' // R: rewritten (rewrite/prefix modes)
  | 'updated'; // U: last-seen date updated

export const REQUEST_COOKIE_LETTER: Readonly<Record<RequestCookieState, string>> = {
  none: 'N', invalid: 'I', down: 'D', valid: 'V', expired: 'E', old: 'O', unused: 'U',
};

export const RESPONSE_COOKIE_LETTER: Readonly<Record<ResponseCookieState, string>> = {
  none: 'N', passive: 'P', deleted: 'D', inserted: 'I', rewritten: 'R', updated: 'U',
};
