// What HAProxy 2.6's HTTP/1 layer does to a message before any rule sees it (checked against
// the 2.6 binary with a recording origin and rules echoing url/req.hdr(host)/req.hdr_cnt):
//  - Content-Length on several lines, or as a list (`5, 5`), all the same value: one header,
//    where the first was, with the first value as written (`005` stays `005`).
//  - Content-Length beside Transfer-Encoding: gone (the body is framed by the transfer coding;
//    `req.hdr_cnt(content-length)` is 0 in the rules).
//  - An absolute-form target whose port is the scheme's default (http 80, https 443, any case)
//    or empty (`http://a:/x`) loses it, and the Host header then becomes the target's host
//    (userinfo and port left out, case as in the target): `GET http://A:80/x` + `Host: a:80`
//    → `GET http://A/x` + `host: A`. Other ports, other schemes and origin-form are untouched.
//  - CONNECT: the Host header loses a port 80 or 443; the target stays as is
//    (`CONNECT a:443` + `Host: a:443` → `host: a`).
// Messages that need none of this are returned as they are (no copy).

type Header = readonly [string, string];

interface Message {
  headers: readonly Header[];
}

interface Request extends Message {
  method: string;
  uri: string;
}

const isName = (name: string, lower: string) => name.length === lower.length && name.toLowerCase() === lower;

/** The request as HAProxy's HTTP/1 layer hands it to the rules. */
export function normalizeH1Request<R extends Request>(r: R): R {
  let out = mergeContentLength(r);
  const c0 = r.uri.charCodeAt(0);
  if (r.method === 'CONNECT') out = connectHost(out);
  // Not origin-form ('/') nor '*': maybe an absolute form with a default port.
  else if (c0 !== 0x2f && c0 !== 0x2a) out = defaultPortDropped(out);
  return out;
}

/** Content-Length duplicates merged, or dropped beside Transfer-Encoding (requests and responses alike). */
export function mergeContentLength<M extends Message>(m: M): M {
  const hs = m.headers;
  let first = -1;
  let count = 0;
  let listed = false;
  let coded = false;
  for (let i = 0; i < hs.length; i++) {
    const name = hs[i]![0];
    if (isName(name, 'transfer-encoding')) coded = true;
    if (!isName(name, 'content-length')) continue;
    if (first < 0) first = i;
    count++;
    if (hs[i]![1].includes(',')) listed = true;
  }
  if (count === 0) return m;
  if (coded) return { ...m, headers: hs.filter((h) => !isName(h[0], 'content-length')) };
  if (count === 1 && !listed) return m;
  // The values were checked equal when the message was read; a caller that did not check
  // (a simulated request) still gets one header only when they agree.
  const values = hs.filter((h) => isName(h[0], 'content-length')).flatMap((h) => h[1].split(',').map((v) => v.trim()));
  if (values.some((v) => !/^\d+$/.test(v) || Number(v) !== Number(values[0]))) return m;
  const headers = hs.filter((h, i) => i === first || !isName(h[0], 'content-length'));
  headers[first] = [hs[first]![0], values[0]!];
  return { ...m, headers };
}

const ABSOLUTE = /^(https?):\/\/([^/?#]*)/i;

function defaultPortDropped<R extends Request>(r: R): R {
  const m = ABSOLUTE.exec(r.uri);
  if (!m) return r;
  const authority = m[2]!;
  const hostStart = authority.lastIndexOf('@') + 1;
  const colon = portColon(authority, hostStart);
  if (colon < 0) return r;
  const port = authority.slice(colon + 1);
  const defaultPort = m[1]!.toLowerCase() === 'https' ? '443' : '80';
  if (port !== '' && port !== defaultPort) return r;
  const schemeLength = m[1]!.length + 3;
  const uri = r.uri.slice(0, schemeLength + colon) + r.uri.slice(schemeLength + authority.length);
  const host = authority.slice(hostStart, colon);
  const h = r.headers.findIndex((x) => isName(x[0], 'host'));
  if (h < 0) return { ...r, uri };
  const headers = r.headers.slice();
  headers[h] = [r.headers[h]![0], host];
  return { ...r, uri, headers };
}

function connectHost<R extends Request>(r: R): R {
  const h = r.headers.findIndex((x) => isName(x[0], 'host'));
  if (h < 0) return r;
  const value = r.headers[h]![1];
  const colon = portColon(value, 0);
  if (colon < 0) return r;
  const port = value.slice(colon + 1);
  if (port !== '80' && port !== '443') return r;
  const headers = r.headers.slice();
  headers[h] = [r.headers[h]![0], value.slice(0, colon)];
  return { ...r, headers };
}

/** The colon before a port in `host[:port]` from `from` on (an IPv6 literal's colons skipped); -1: none. */
function portColon(authority: string, from: number): number {
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  return colon >= from && colon > close ? colon : -1;
}
