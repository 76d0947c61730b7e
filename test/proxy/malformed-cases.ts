// The malformed-request battery's table, shared by the codec-level battery
// (http-malformed-battery.test.ts) and the end-to-end one through `haplo run`
// (run-malformed.test.ts): each raw client byte stream with what haplo does with it (refused
// with a status after some good requests, or accepted with a framing and a number of requests
// that reach the server), and what HAProxy 2.6 does instead where it is laxer.

/**
 * What happens to a byte stream: how many requests reach the server (complete, body included),
 * and the status of the first message refused, if any.
 */
export interface Outcome {
  requests: number;
  status?: number;
}

export interface Row {
  name: string;
  raw: string;
  /** haplo: refused with `status` (after `requests` good ones), or accepted. */
  expect: Outcome & { framing?: string; keepAlive?: boolean };
  /** What HAProxy 2.6 does instead, when it differs, and why haplo differs. */
  h26?: Outcome & { why: string };
  /**
   * The status `haplo run` answers when the codec's refusal has no HAProxy error page (HAProxy's
   * error codes lack it, so errorfiles, logs and counters cannot carry it): the session sends 400.
   */
  answered?: number;
}

const R = (s: string) => s.replace(/\n/g, '\r\n'); // readable CRLF rows: write \n, get \r\n
const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
const ok = (framing: string, requests = 1, keepAlive?: boolean): Row['expect'] => ({ requests, framing, ...(keepAlive === undefined ? {} : { keepAlive }) });
const no = (status: number, requests = 0): Row['expect'] => ({ requests, status });
const lines = (n: number) => Array.from({ length: n - 1 }, (_, i) => `X-H${i}: v\r\n`).join('');
const post = (head: string, body: string) => `POST / HTTP/1.1\r\nHost: a\r\n${head}\r\n${body}`;
const chunked = (body: string) => post('Transfer-Encoding: chunked\r\n', body);

// Rows with `h26` are where HAProxy 2.6 is laxer than RFC 9112/9110 (or than current HAProxy):
// the stricter choice in `expect` is haplo's, deliberately, and `why` says which rule it follows.
// The differentials (codec level and `haplo run` end to end) assert those differences too.
// prettier-ignore
export const ROWS: Row[] = [
  // ---- baseline and pipelining
  { name: 'plain GET', raw: GET, expect: ok('none') },
  { name: 'POST with Content-Length', raw: post('Content-Length: 5\r\n', 'hello'), expect: ok('length:5') },
  { name: 'chunked POST with an extension and a trailer', raw: chunked('3;ext=1\r\nabc\r\n0\r\nX-T: 1\r\n\r\n'), expect: ok('chunked') },
  { name: 'two pipelined GETs', raw: GET + GET, expect: ok('none', 2) },
  { name: 'pipelined: POST with Content-Length then GET', raw: post('Content-Length: 5\r\n', 'hello') + GET, expect: ok('length:5', 2) },
  { name: 'pipelined: chunked POST then GET', raw: chunked('2\r\nhi\r\n0\r\n\r\n') + GET, expect: ok('chunked', 2) },
  { name: 'pipelined GET after Connection: close is never read', raw: R('GET / HTTP/1.1\nHost: a\nConnection: close\n\n') + GET, expect: ok('none', 1, false) },
  { name: 'pipelined garbage after a good GET', raw: GET + 'GARBAGE\r\n\r\n', expect: no(400, 1) },
  { name: 'empty lines before the request line', raw: '\r\n\r\n' + GET, expect: ok('none') },
  // ---- CL.TE, TE.CL, TE.TE
  { name: 'CL.TE: Content-Length and chunked, a request hidden after the last chunk', raw: post('Content-Length: 6\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n'), expect: ok('chunked', 1, false) },
  { name: 'TE.CL: chunked and a short Content-Length, a request hidden in the chunk', raw: post('Transfer-Encoding: chunked\r\nContent-Length: 4\r\n', '2d\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\nX-Pad: 123\r\n\r\n0\r\n\r\n'), expect: ok('chunked', 1, false) },
  { name: 'TE.TE: Transfer-Encoding: xchunked with Content-Length', raw: post('Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding with extra spaces around chunked', raw: post('Transfer-Encoding:   chunked  \r\n', '0\r\n\r\n'), expect: ok('chunked') },
  { name: 'Transfer-Encoding with a tab before chunked', raw: post('Transfer-Encoding:\tchunked\r\n', '0\r\n\r\n'), expect: ok('chunked') },
  { name: 'Transfer-Encoding: chunked, identity (chunked not last)', raw: post('Transfer-Encoding: chunked, identity\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding: identity, chunked (another coding: 422, current HAProxy)', raw: post('Transfer-Encoding: identity, chunked\r\n', '0\r\n\r\n'), expect: no(422) },
  { name: 'Transfer-Encoding: gzip, chunked', raw: post('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'), expect: no(422) },
  { name: 'Transfer-Encoding: chunked on two lines (chunked twice)', raw: post('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding: chunked then a line with x (TE.TE)', raw: post('Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding: Chunked (case-insensitive)', raw: post('Transfer-Encoding: Chunked\r\n', '0\r\n\r\n'), expect: ok('chunked') },
  { name: 'Transfer-Encoding: "chunked" (quoted)', raw: post('Transfer-Encoding: "chunked"\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding: chunked;foo=bar (parameter)', raw: post('Transfer-Encoding: chunked;foo=bar\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'empty Transfer-Encoding', raw: post('Transfer-Encoding: \r\n', ''), expect: no(400) },
  { name: 'space before the colon: "Transfer-Encoding : chunked"', raw: post('Transfer-Encoding : chunked\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'tab before the colon: "Transfer-Encoding\\t: chunked"', raw: post('Transfer-Encoding\t: chunked\r\n', '0\r\n\r\n'), expect: no(400) },
  { name: 'Transfer-Encoding folded into Host (obs-fold)', raw: 'POST / HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n', expect: no(400),
    h26: { requests: 1, status: 400, why: 'HAProxy unfolds obs-fold (Host becomes "a   Transfer-Encoding: chunked"), forwards a body-less POST, then refuses "0" as the next request; haplo refuses obs-fold (RFC 9112 §5.2)' } },
  { name: 'HTTP/1.0 POST with chunked (read chunked, then close)', raw: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', expect: ok('chunked', 1, false) },
  // ---- Content-Length
  { name: 'Content-Length repeated with the same value', raw: post('Content-Length: 5\r\nContent-Length: 5\r\n', 'hello'), expect: ok('length:5') },
  { name: 'Content-Length: 5, 5 (list of one value)', raw: post('Content-Length: 5, 5\r\n', 'hello'), expect: ok('length:5') },
  { name: 'Content-Length repeated with different values', raw: post('Content-Length: 5\r\nContent-Length: 6\r\n', 'hello!'), expect: no(400) },
  { name: 'Content-Length: 5, 6', raw: post('Content-Length: 5, 6\r\n', 'hello!'), expect: no(400) },
  { name: 'Content-Length: -1', raw: post('Content-Length: -1\r\n', ''), expect: no(400) },
  { name: 'Content-Length: +5', raw: post('Content-Length: +5\r\n', 'hello'), expect: no(400) },
  { name: 'Content-Length: 0x5', raw: post('Content-Length: 0x5\r\n', 'hello'), expect: no(400) },
  { name: 'Content-Length: 99999999999999999999999 (overflows 64 bits)', raw: post('Content-Length: 99999999999999999999999\r\n', ''), expect: no(400) },
  { name: 'Content-Length: 9007199254740993 (past 2^53)', raw: post('Content-Length: 9007199254740993\r\n', 'x'), expect: no(400),
    h26: { requests: 0, why: 'HAProxy reads 64-bit lengths and waits for the body; haplo refuses lengths a JS number cannot count exactly' } },
  { name: 'Content-Length: 1 2 (two numbers)', raw: post('Content-Length: 1 2\r\n', 'hello'), expect: no(400) },
  { name: 'empty Content-Length', raw: post('Content-Length:\r\n', ''), expect: no(400) },
  { name: 'Content-Length: 005 (leading zeros)', raw: post('Content-Length: 005\r\n', 'hello'), expect: ok('length:5') },
  { name: 'Content-Length after a tab', raw: post('Content-Length:\t5\r\n', 'hello'), expect: ok('length:5') },
  // ---- chunked bodies
  { name: 'chunk size 0x10', raw: chunked('0x10\r\n0123456789abcdef\r\n0\r\n\r\n'), expect: no(400) },
  { name: 'chunk size -1', raw: chunked('-1\r\n\r\n0\r\n\r\n'), expect: no(400) },
  { name: 'chunk extension without a value: 1;ext', raw: chunked('1;ext\r\na\r\n0\r\n\r\n'), expect: ok('chunked') },
  { name: 'chunk extension with a quoted value', raw: chunked('1;a="b c";d=e\r\na\r\n0\r\n\r\n'), expect: ok('chunked') },
  { name: 'chunk size of 17 hex digits (overflow)', raw: chunked('FFFFFFFFFFFFFFFF1\r\na\r\n0\r\n\r\n'), expect: no(400) },
  { name: 'chunk size with 20 leading zeros', raw: chunked('000000000000000000001\r\na\r\n0\r\n\r\n'), expect: ok('chunked') },
  { name: 'chunk data longer than its size (missing CRLF)', raw: chunked('1\r\nabc\r\n0\r\n\r\n'), expect: no(400) },
  { name: 'bare LF after chunk data', raw: chunked('1\r\na\n0\r\n\r\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 accepts a bare LF after chunk data (current HAProxy requires CRLF)' } },
  { name: 'bare LF ending a chunk-size line', raw: chunked('1\na\r\n0\r\n\r\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 accepts a bare LF after the chunk size (current HAProxy requires CRLF)' } },
  { name: 'whitespace after the chunk size: "1 \\r\\n"', raw: chunked('1 \r\na\r\n0\r\n\r\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy (2.6 and current) skips whitespace after the size; RFC 9112 §7.1.1 only allows BWS before ";"' } },
  { name: 'whitespace before the chunk size', raw: chunked(' 1\r\na\r\n0\r\n\r\n'), expect: no(400) },
  { name: 'chunk extension ended by a bare LF', raw: chunked('1;a\na\r\n0\r\n\r\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 ends the extension at a bare LF (current HAProxy requires CRLF)' } },
  { name: 'trailer name with a space', raw: chunked('1\r\na\r\n0\r\nX T: 1\r\n\r\n'), expect: no(400) },
  // ---- line syntax
  { name: 'obs-fold in an ordinary header', raw: R('GET / HTTP/1.1\nHost: a\nX-A: 1\n 2\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy unfolds obs-fold into spaces; haplo refuses it (RFC 9112 §5.2 allows either)' } },
  { name: 'bare LF line ends throughout', raw: 'GET / HTTP/1.1\nHost: a\nX-A: 1\n\n', expect: ok('none') },
  { name: 'bare CR inside a header value', raw: R('GET / HTTP/1.1\nHost: a\nX-A: 1\r2\n\n'), expect: no(400) },
  { name: 'bare CR ending the request line', raw: 'GET / HTTP/1.1\rHost: a\r\n\r\n', expect: no(400) },
  { name: 'NUL in a header value', raw: R('GET / HTTP/1.1\nHost: a\nX-A: 1\u00002\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 forwards NUL in values; current HAProxy refuses it (RFC 9110 §5.5)' } },
  { name: 'NUL in a header name', raw: R('GET / HTTP/1.1\nHost: a\nX-\u0000A: 1\n\n'), expect: no(400) },
  { name: 'control character 0x01 in a header value', raw: R('GET / HTTP/1.1\nHost: a\nX-A: 1\u00012\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy (2.6 and current) forwards CTLs other than NUL/CR/LF in values; RFC 9110 §5.5 makes them invalid' } },
  { name: 'DEL (0x7f) in a header value', raw: R('GET / HTTP/1.1\nHost: a\nX-A: 1\u007f2\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy forwards DEL in values; it is not a field-vchar (RFC 9110 §5.5)' } },
  { name: 'whitespace before the first header line', raw: R('GET / HTTP/1.1\n Host: a\n\n'), expect: no(400) },
  { name: 'empty header name', raw: R('GET / HTTP/1.1\nHost: a\n: x\n\n'), expect: no(400) },
  { name: 'header line without a colon', raw: R('GET / HTTP/1.1\nHost: a\nFoo\n\n'), expect: no(400) },
  { name: 'non-ASCII byte in a header name', raw: R('GET / HTTP/1.1\nHost: a\nX-\u00e9: 1\n\n'), expect: no(400) },
  // ---- request line
  { name: 'method with a non-token character: G(T', raw: R('G(T / HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'space inside the target', raw: R('GET /a b HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'fragment in the target', raw: R('GET /a#b HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'non-ASCII byte in the target', raw: R('GET /\u00e9 HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'HTTP/0.9 request (no version)', raw: 'GET /\r\n\r\n', expect: no(400) },
  // The codec's reason is 505 (RFC 9110 §15.6.6, a major version other than 1), but the client
  // gets 400: HAProxy (2.6 and current, src/h1.c h1_process_req_vsn) reads `HTTP/2.0` as 1.1 and
  // has no 505 among its error codes, so no errorfile, log status or counter could carry one;
  // HAProxy's answer to a request line it refuses is its 400 page, and RFC 9112 does not require
  // 505 (a server "can" send it).
  { name: 'HTTP/2.0 in an HTTP/1 request line', raw: R('GET / HTTP/2.0\nHost: a\n\n'), expect: no(505), answered: 400,
    h26: { requests: 1, why: 'HAProxy reads any HTTP/x.y with x ≥ 1 as HTTP/1.1; haplo refuses a major version other than 1 (400, see above)' } },
  { name: 'HTTP/1.2 is read as HTTP/1.1', raw: R('GET / HTTP/1.2\nHost: a\n\n'), expect: ok('none') },
  { name: 'HTTP/3 (short version)', raw: R('GET / HTTP/3\nHost: a\n\n'), expect: no(400) },
  { name: 'lower-case http/1.1', raw: R('GET / http/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'space after the version', raw: R('GET / HTTP/1.1 \nHost: a\n\n'), expect: no(400) },
  { name: 'several spaces between the request line parts', raw: R('GET   /   HTTP/1.1\nHost: a\n\n'), expect: ok('none') },
  { name: 'asterisk target with GET', raw: R('GET * HTTP/1.1\nHost: a\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 forwards "GET *"; current HAProxy (and RFC 9112 §3.2.4) keep * for OPTIONS' } },
  { name: 'OPTIONS *', raw: R('OPTIONS * HTTP/1.1\nHost: a\n\n'), expect: ok('none') },
  { name: 'authority-form target without CONNECT', raw: R('GET a:80 HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  // ---- limits
  { name: '100 header lines (the most tune.http.maxhdr 101 allows)', raw: `GET / HTTP/1.1\r\nHost: a\r\n${lines(100)}\r\n`, expect: ok('none') },
  { name: '101 header lines', raw: `GET / HTTP/1.1\r\nHost: a\r\n${lines(101)}\r\n`, expect: no(400) },
  { name: '102 header lines', raw: `GET / HTTP/1.1\r\nHost: a\r\n${lines(102)}\r\n`, expect: no(400) },
  { name: 'more than 16 KB of headers', raw: `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(17000)}\r\n\r\n`, expect: no(400) },
  { name: 'request line longer than 16 KB', raw: `GET /${'a'.repeat(17000)} HTTP/1.1\r\nHost: a\r\n\r\n`, expect: no(400) },
  // ---- Host and target authority
  { name: 'HTTP/1.1 without Host', raw: R('GET / HTTP/1.1\nX: y\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy accepts an HTTP/1.1 request without Host; RFC 9112 §3.2 requires 400' } },
  { name: 'HTTP/1.0 without Host', raw: 'GET / HTTP/1.0\r\n\r\n', expect: ok('none', 1, false) },
  { name: 'two different Host headers', raw: R('GET / HTTP/1.1\nHost: a\nHost: b\n\n'), expect: no(400) },
  { name: 'two identical Host headers', raw: R('GET / HTTP/1.1\nHost: a\nHost: a\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy merges identical Host lines; RFC 9112 §3.2 requires 400 for more than one' } },
  { name: 'absolute-form authority differs from Host', raw: R('GET http://b/x HTTP/1.1\nHost: a\n\n'), expect: no(400) },
  { name: 'absolute-form authority equals Host', raw: R('GET http://a/x HTTP/1.1\nHost: a\n\n'), expect: ok('none') },
  { name: 'absolute-form with the default port, Host without', raw: R('GET http://a:80/x HTTP/1.1\nHost: a\n\n'), expect: ok('none') },
  { name: 'absolute-form with userinfo', raw: R('GET http://u@a/x HTTP/1.1\nHost: a\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy (2.6 and current) skips the userinfo before comparing with Host; RFC 9110 §4.2.4 says to treat it as an error' } },
  { name: 'Host with a comma', raw: R('GET / HTTP/1.1\nHost: a,b\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 forwards it; current HAProxy refuses "," in Host (ambiguous)' } },
  { name: 'Host with userinfo', raw: R('GET / HTTP/1.1\nHost: u@a\n\n'), expect: no(400),
    h26: { requests: 1, why: 'HAProxy 2.6 forwards it; current HAProxy refuses "@" in Host' } },
  { name: 'CONNECT with an authority-form target', raw: R('CONNECT a:443 HTTP/1.1\nHost: a:443\n\n'), expect: ok('none') },
  // ---- methods, upgrades, expectations
  { name: 'HTTP/1.0 GET with a body (413)', raw: 'GET / HTTP/1.0\r\nContent-Length: 2\r\n\r\nab', expect: no(413) },
  { name: 'WebSocket upgrade without Sec-WebSocket-Key', raw: R('GET / HTTP/1.1\nHost: a\nConnection: Upgrade\nUpgrade: websocket\n\n'), expect: no(400) },
  { name: 'WebSocket upgrade with Sec-WebSocket-Key', raw: R('GET / HTTP/1.1\nHost: a\nConnection: Upgrade\nUpgrade: websocket\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n\n'), expect: ok('none') },
  { name: 'Expect: 100-continue with a body', raw: post('Expect: 100-continue\r\nContent-Length: 5\r\n', 'hello'), expect: ok('length:5') },
];
