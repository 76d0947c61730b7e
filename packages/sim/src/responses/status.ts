// HAProxy 2.6's own messages (src/http.c http_err_msgs), byte for byte as observed on the wire
// from the 2.6.12 binary: `HTTP/1.1 <code> <reason>`, content-length, cache-control: no-cache,
// content-type: text/html (plus connection: close on 400 and 408), and a fixed HTML body.
import { byteLength, cloneReply, type Reply } from './reply.js';

/** Reason phrases HAProxy writes in its own status lines (note `400 Bad request`, `407 Unauthorized`). */
const BUILTIN: Record<number, [reason: string, sentence: string]> = {
  200: ['OK', 'Service ready.'],
  400: ['Bad request', 'Your browser sent an invalid request.'],
  401: ['Unauthorized', 'You need a valid user and password to access this content.'],
  403: ['Forbidden', 'Request forbidden by administrative rules.'],
  404: ['Not Found', 'The resource could not be found.'],
  405: ['Method Not Allowed', 'A request was made of a resource using a request method not supported by that resource'],
  407: ['Unauthorized', 'You need a valid user and password to access this content.'],
  408: ['Request Time-out', "Your browser didn't send a complete request in time."],
  410: ['Gone', 'The resource is no longer available and will not be available again.'],
  413: ['Payload Too Large', 'The request entity exceeds the maximum allowed.'],
  421: ['Misdirected Request', 'Request sent to a non-authoritative server.'],
  422: ['Unprocessable Content', 'The server cannot process the contained instructions.'],
  425: ['Too Early', 'Your browser sent early data.'],
  429: ['Too Many Requests', 'You have sent too many requests in a given amount of time.'],
  500: ['Internal Server Error', 'An internal server error occurred.'],
  501: ['Not Implemented', '.The server does not support the functionality required to fulfill the request.'],
  502: ['Bad Gateway', 'The server returned an invalid or incomplete response.'],
  503: ['Service Unavailable', 'No server is available to handle this request.'],
  504: ['Gateway Time-out', "The server didn't respond in time."],
};

/** The codes `deny_status`, `return status` with errorfiles, and `errorfile` accept. */
export const ERROR_CODES: readonly number[] = Object.keys(BUILTIN).map(Number);

/** Standard reason phrases (HAProxy's http_get_reason) for codes it did not write itself. */
const REASONS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Content', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/** The reason phrase for a status HAProxy builds itself (`return status N`, redirects, set-status). */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 100 && status < 600 ? 'Other' : 'Unknown');
}

const cache = new Map<number, Reply>();

/** The built-in error message for `code` (a copy), or undefined when HAProxy has none. */
export function builtinReply(code: number): Reply | undefined {
  let r = cache.get(code);
  if (!r) {
    const b = BUILTIN[code];
    if (!b) return undefined;
    const [reason, sentence] = b;
    const body = `<html><body><h1>${code} ${reason}</h1>\n${sentence}\n</body></html>\n`;
    const headers: [string, string][] = [
      ['content-length', String(byteLength(body))],
      ['cache-control', 'no-cache'],
      ['content-type', 'text/html'],
    ];
    if (code === 400 || code === 408) headers.push(['connection', 'close']);
    r = { status: code, reason, headers, body };
    cache.set(code, r);
  }
  return cloneReply(r);
}

/** HAProxy's reason for one of its own error codes, else the standard phrase. */
export function builtinReason(code: number): string {
  return BUILTIN[code]?.[0] ?? reasonPhrase(code);
}
