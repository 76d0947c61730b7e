// The HTTP differential suite shared by `sim-vs-haproxy` and `run-vs-haproxy`: configs (as
// functions of the frontend port and the origins' ports) and the requests sent through them,
// with what the echo origin should answer.
const DEF = `defaults\n    mode http\n    timeout connect 1s\n    timeout client 2s\n    timeout server 2s\n    timeout tarpit 50ms\n`;

/**
 * One request. `reply` is what the origin answers (status and extra headers); it is carried to the
 * echo origin in `x-echo-status` / `x-echo-header: Name: value` request headers and given to the
 * simulator as the server's reply.
 */
export interface Req { uri: string; method?: string; headers?: [string, string][]; reply?: { status?: number; headers?: [string, string][] } }
export interface DiffCase {
  name: string;
  /** `dir` is where `files` are written (absolute paths for errorfile, map and return files). */
  cfg: (port: number, dir: string) => string;
  /** Files by base name, written to `dir` before HAProxy starts. */
  files?: Record<string, string>;
  requests: Req[];
  /**
   * Mismatches known and owned elsewhere, as `request index: what` prefixes. The test fails when
   * they disappear too, so the list is kept honest.
   */
  known?: Record<number, string>;
}

/** Headers neither side controls (framing, hop-by-hop), left out of comparisons. */
export const IGNORED = new Set(['content-length', 'content-type', 'connection', 'date', 'x-origin', 'transfer-encoding', 'keep-alive']);
export const keep = (h: [string, string][]) => h.filter(([n]) => !IGNORED.has(n.toLowerCase())).map(([n, v]) => `${n.toLowerCase()}: ${v}`);

/** A frontend `fe` on `p` with `lines`, then the backends' text. */
const FE = (p: number, lines: string[], backends: string) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n${lines.map((l) => `    ${l}\n`).join('')}${backends}`;
const BE = (name: string, lines: string[]) => `backend ${name}\n${lines.map((l) => `    ${l}\n`).join('')}`;
const times = (n: number, r: (i: number) => Req): Req[] => Array.from({ length: n }, (_, i) => r(i));
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
// crypt(3) hashes made with `openssl passwd -6|-5|-1 -salt …` of pw6, pw5 and pw1.
const SHA512_PW6 = '$6$s6salt$udvPw/rfV2iToc3uupfelb3kxerU5xKrHZptWZSDNIGG6kXFt/qkJFYyGgk9o1Ek/PyvAiJECSQcbj3651pnd/';
const SHA256_PW5 = '$5$s5salt$n0z5Mi9ceD5byJyqZv4KWr0U0xpklmi9ZWqujqaL.n3';
const MD5_PW1 = '$1$s1salt$qHVo7VrgdtiG3MGklEobT.';

/** The suite, for origins listening on `origins` (six loopback ports). */
export function httpCases(origins: readonly number[]): DiffCase[] {
  const O = (i: number) => `127.0.0.1:${origins[i - 1]}`;
  return [
  { name: 'header actions (R05)', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request set-header X-Set a\n    http-request set-header X-Set b\n    http-request add-header X-Add 1\n    http-request add-header X-Add 2\n    http-request set-header X-Existing new\n    http-request del-header X-Del\n    http-request del-header X-Pfx- -m beg\n    http-request replace-header X-Rh (.*)-old \\1-new\n    http-request replace-value X-Rv ^old$ new\n    option forwardfor\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/', headers: [['X-Existing', 'a'], ['X-Existing', 'b'], ['X-Del', '1'], ['X-Pfx-A', '1'], ['X-Pfx-B', '2'], ['X-Rh', 'a-old, b-old'], ['X-Rv', 'old, keep, old'], ['X-Forwarded-For', '1.2.3.4']] }] },
  { name: 'URI and method rewrites', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request set-path /new%[path] if { path_beg /sp }\n    http-request set-query x=1&%[query] if { path_beg /sq }\n    http-request set-uri /u?z=9 if { path_beg /su }\n    http-request set-method PUT if { path_beg /sm }\n    http-request replace-path /rp/(.*) /\\1 if { path_beg /rp }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/sp/x?q=1' }, { uri: '/sq/x?q=1' }, { uri: '/sq/x' }, { uri: '/su/x?a=1' }, { uri: '/sm/x' }, { uri: '/rp/a/b?c=1' }] },
  { name: 'deny variants', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request deny if { path /deny }\n    http-request deny deny_status 429 if { path /d429 }\n    http-request deny status 401 content-type text/plain string "nope" hdr X-Why test if { path /custom }\n    http-request deny hdr X-A 1 if { path /hdr }\n    http-request tarpit if { path /tarpit }\n    http-request reject if { path /reject }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/deny' }, { uri: '/d429' }, { uri: '/custom' }, { uri: '/hdr' }, { uri: '/tarpit' }, { uri: '/reject' }, { uri: '/ok' }] },
  { name: 'return and redirect', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request return if { path /return }\n    http-request return status 204 if { path /r204 }\n    http-request return status 200 content-type text/plain lf-string "p=%[path]" hdr X-A b if { path /lf }\n    http-request redirect location /new if { path /redir }\n    http-request redirect location /new code 301 if { path /r301 }\n    http-request redirect prefix /pfx if { path_beg /pre/ }\n    http-request redirect prefix /p drop-query append-slash if { path_beg /dq/ }\n    http-request redirect scheme https if { path /scheme }\n    http-request redirect prefix /c set-cookie A=1 if { path /sc }\n    redirect location /kw code 307 if { path /kw }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/return' }, { uri: '/r204' }, { uri: '/lf' }, { uri: '/redir' }, { uri: '/r301' }, { uri: '/pre/x?y=1' }, { uri: '/dq/x?y=1' }, { uri: '/scheme?q=1' }, { uri: '/sc' }, { uri: '/kw' }] },
  { name: 'routing: use_backend, dynamic names, default_backend', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    use_backend be_a if { path_beg /a }\n    use_backend be_%[req.hdr(x-be)] if { req.hdr(x-be) -m found }\n    default_backend be_c\nbackend be_a\n    server a ${O(1)}\nbackend be_b\n    server b ${O(2)}\nbackend be_c\n    server c ${O(3)}\n`,
    requests: [{ uri: '/a/1' }, { uri: '/x', headers: [['x-be', 'b']] }, { uri: '/x', headers: [['x-be', 'nosuch']] }, { uri: '/x' }] },
  { name: 'phase order and http-request before redirect (R03)', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    tcp-request connection set-var(sess.t) str(tcpconn)\n    tcp-request session set-var(sess.t) str(),concat(,sess.t,>tcpsess)\n    tcp-request inspect-delay 1s\n    tcp-request content set-var(txn.t) str(),concat(,sess.t,>fe-tcpcontent)\n    redirect location /redirected if { path /both }\n    http-request set-var(txn.t) str(),concat(,txn.t,>fe-httpreq)\n    http-request deny deny_status 429 if { path /both }\n    default_backend be_a\n    http-response set-header X-Order-FE-resp %[var(txn.t)]\n    http-response set-var(txn.t) str(),concat(,txn.t,>fe-httpresp)\n    http-after-response set-header X-Trace %[var(txn.t)]>after\nbackend be_a\n    tcp-request content set-var(txn.t) str(),concat(,txn.t,>be-tcpcontent)\n    http-request set-var(txn.t) str(),concat(,txn.t,>be_a-httpreq)\n    http-request set-header X-Trace-Req %[var(txn.t)]\n    http-response set-var(txn.t) str(),concat(,txn.t,>be_a-httpresp)\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/a' }, { uri: '/both' }] },
  { name: 'allow ends only its rule set', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request allow if { path /allowed }\n    http-request deny if { path_beg /allowed }\n    http-request set-header X-Fe 1\n    default_backend be\nbackend be\n    http-request set-header X-Be 1\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/allowed' }, { uri: '/allowed/x' }, { uri: '/other' }] },
  { name: 'weighted round-robin sequence', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    balance roundrobin\n    server a ${O(1)} weight 3\n    server b ${O(2)} weight 1\n    server c ${O(3)} weight 2\n`,
    requests: Array.from({ length: 12 }, () => ({ uri: '/' })) },
  { name: 'static-rr sequence', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    balance static-rr\n    server a ${O(1)} weight 3\n    server b ${O(2)} weight 1\n    server c ${O(3)} weight 2\n`,
    requests: Array.from({ length: 12 }, () => ({ uri: '/' })) },
  { name: 'use-server beats balance; down server skipped', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    use-server b if { req.hdr(x-srv) b }\n    use-server c if { req.hdr(x-srv) c }\n    server a ${O(1)}\n    server b ${O(2)}\n    server c ${O(3)} disabled\n`,
    requests: [{ uri: '/', headers: [['x-srv', 'b']] }, { uri: '/', headers: [['x-srv', 'c']] }, { uri: '/' }, { uri: '/', headers: [['x-srv', 'b']] }] },
  { name: 'stickiness on a header with a stick table', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    stick-table type string len 32 size 1k expire 1m\n    stick on req.hdr(x-user)\n    server a ${O(1)}\n    server b ${O(2)}\n`,
    requests: [{ uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-user', 'u1']] }] },
  { name: 'backup servers and no usable server', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    use_backend be_none if { path /none }\n    default_backend be\nbackend be\n    server a ${O(1)} disabled\n    server b ${O(2)} backup\n    server c ${O(3)} backup\nbackend be_none\n    server a ${O(1)} disabled\n`,
    requests: [{ uri: '/' }, { uri: '/' }, { uri: '/none' }] },
  { name: 'response rules: backend then frontend, after-response on HAProxy replies, response deny', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request deny if { path /deny }\n    http-response set-header X-Fe fe\n    http-response add-header X-Order fe\n    http-after-response set-header X-After 1\n    default_backend be\nbackend be\n    http-response add-header X-Order be\n    http-response deny if { path /rdeny }\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/' }, { uri: '/deny' }, { uri: '/rdeny' }] },
  { name: 'cookie insert indirect nocache', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    cookie SRV insert indirect nocache\n    server a ${O(1)} cookie ca\n    server b ${O(2)} cookie cb\n`,
    requests: [{ uri: '/' }, { uri: '/', headers: [['Cookie', 'SRV=cb']] }, { uri: '/', headers: [['Cookie', 'SRV=zz']] }, { uri: '/' }] },
  { name: 'variables, log-format and tcp-request content reject', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    tcp-request content reject if { req.hdr(x-bad) -m found }\n    http-request set-var(txn.p) path\n    http-request set-var(txn.missing) req.hdr(x-absent)\n    http-request set-header X-P %[var(txn.p)]\n    http-request set-header X-M a-%[var(txn.missing)]-b\n    http-request set-var-fmt(txn.f) %[method]:%[path]\n    http-request set-header X-F %[var(txn.f)]\n    option originalto\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/v?x=1' }, { uri: '/v', headers: [['x-bad', '1']] }] },
  // ---- response-side header actions and set-status (the origin's reply carries the headers)
  { name: 'http-response header actions on the origin reply', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'http-response set-header X-Set new', 'http-response add-header X-Add 2', 'http-response del-header X-Del',
      'http-response del-header X-Pfx- -m beg', 'http-response replace-header X-Rh (.*)-old \\1-new', 'http-response replace-value X-Rv ^old$ new',
      'http-response set-header X-Status %[status]', `server s1 ${O(1)}`])),
    requests: [{ uri: '/', reply: { headers: [['X-Set', 'old'], ['X-Add', '1'], ['X-Del', 'a'], ['X-Pfx-A', '1'], ['X-Keep', 'k'], ['X-Rh', 'a-old'], ['X-Rv', 'old, keep, old']] } },
      { uri: '/', reply: { status: 404 } }] },
  { name: 'set-status on responses, with a reason, conditional on the origin status', cfg: (p) => FE(p, [
      'http-response set-status 404 reason "Not Here" if { path /s404 }', 'http-response set-status 503 if { status 500 }',
      'http-response set-header X-After-Status %[status]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/s404' }, { uri: '/x', reply: { status: 500 } }, { uri: '/x', reply: { status: 201 } }] },
  { name: 'URI rewrites: replace-uri, set-uri, set-query, rules see earlier rewrites', cfg: (p) => FE(p, [
      'http-request replace-uri ^/old/(.*) /new/\\1 if { path_beg /old/ }', 'http-request set-query %[query]&added=1 if { path_beg /new/ }',
      'http-request set-path /b if { path /a }', 'http-request set-header X-Saw-B 1 if { path /b }',
      'http-request set-query a=b if { path_beg /clear }', 'http-request replace-path ^/api/v1(/.*)?$ /v2\\1',
      'http-request set-header X-Url %[url]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/old/x?y=1' }, { uri: '/a?z=2' }, { uri: '/clear?a=1' }, { uri: '/api/v1/items?q=1' }, { uri: '/api/v1' }] },
  { name: 'set-method, and the method fetch and ACLs after it (txn->meth keeps a known method)', cfg: (p) => FE(p, [
      'http-request set-method POST if { path /m }', 'http-request set-method DELETE if { path /d } METH_GET',
      'http-request set-header X-Method %[method]', 'http-request deny deny_status 405 if METH_DELETE', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/m' }, { uri: '/m', method: 'PURGE' }, { uri: '/d' }, { uri: '/d', method: 'PUT' }, { uri: '/other', method: 'OPTIONS' }] },
  { name: 'tarpit variants (short timeout tarpit)', cfg: (p) => FE(p, [
      'http-request tarpit if { path /t }', 'http-request tarpit deny_status 429 if { path /t429 }',
      'http-request tarpit status 403 content-type text/plain string "slow down" if { path /tstr }',
      'http-after-response set-header X-After 1', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/t' }, { uri: '/t429' }, { uri: '/tstr' }, { uri: '/ok' }] },
  { name: 'auth challenges: realm, default realm, http-response after', cfg: (p) => FE(p, [
      'http-request auth realm Restricted if { path /a }', 'http-request auth if { path /b }',
      'http-request auth realm "Two Words" if { path /c }', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/a' }, { uri: '/b' }, { uri: '/c' }, { uri: '/d' }] },
  { name: 'redirect codes and forms', cfg: (p) => FE(p, [
      'http-request redirect location /x code 302 if { path /c302 }', 'http-request redirect location /x code 303 if { path /c303 }',
      'http-request redirect location /x code 308 if { path /c308 }', 'http-request redirect prefix https://example.com if { path_beg /abs/ }',
      'http-request redirect scheme https code 301 if { path_beg /sch/ }', 'http-request redirect location https://%[req.hdr(host)]%[capture.req.uri] if { path_beg /lf/ }',
      'http-request redirect prefix / append-slash if { path /dir }', 'http-request redirect location /home?from=%[path] drop-query if { path_beg /dq }',
      'redirect prefix /v2 code 301 if { path_beg /v1/ }', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/c302' }, { uri: '/c303' }, { uri: '/c308?x=1' }, { uri: '/abs/p?q=1' }, { uri: '/sch/p?q=1' }, { uri: '/lf/a?b=1' }, { uri: '/dir' }, { uri: '/dq/x?y=1' }, { uri: '/v1/z?k=1' }] },
  { name: 'return variants: status only, html string, hdr location, file, errorfile', files: { 'ret.txt': 'from a file\n', 'e403.http': 'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-ef: 1\r\n\r\ncustom 403\n' },
    cfg: (p, d) => FE(p, [
      'http-request return status 500 if { path /r500 }', 'http-request return status 404 content-type text/html string "<p>gone</p>" if { path /html }',
      'http-request return status 302 hdr location /elsewhere hdr x-a 1 if { path /loc }', `http-request return status 200 content-type text/plain file ${d}/ret.txt if { path /file }`,
      `http-request return errorfile ${d}/e403.http if { path /ef }`, 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/r500' }, { uri: '/html' }, { uri: '/loc' }, { uri: '/file' }, { uri: '/ef' }] },
  { name: 'use_backend through a map file, with a default', files: { 'hosts.map': 'a.example be_a\nb.example be_b\n' },
    cfg: (p, d) => FE(p, [`use_backend %[req.hdr(x-site),lower,map(${d}/hosts.map,be_c)]`], BE('be_a', [`server a ${O(1)}`]) + BE('be_b', [`server b ${O(2)}`]) + BE('be_c', [`server c ${O(3)}`])),
    requests: ['A.example', 'b.example', 'c.example'].map((h) => ({ uri: '/', headers: [['x-site', h]] as [string, string][] })).concat([{ uri: '/' }]) },
  { name: 'listen section serving itself, and default_backend with rules in both', cfg: (p) => `${DEF}listen li\n    bind 127.0.0.1:${p}\n    http-request set-header X-Li 1\n    http-response set-header X-Li-Resp 1\n    server s1 ${O(1)}\n    server s2 ${O(2)}\n`,
    requests: [{ uri: '/' }, { uri: '/' }, { uri: '/' }] },
  { name: 'force-persist and ignore-persist with cookies', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'cookie SRV insert indirect', 'force-persist if { req.hdr(x-force) -m found }', 'ignore-persist if { path /ignore }',
      `server a ${O(1)} cookie ca`, `server b ${O(2)} cookie cb disabled`, `server c ${O(3)} cookie cc`])),
    requests: [{ uri: '/', headers: [['Cookie', 'SRV=cb']] }, { uri: '/', headers: [['Cookie', 'SRV=cb'], ['x-force', '1']] },
      { uri: '/', headers: [['Cookie', 'SRV=cc']] }, { uri: '/ignore', headers: [['Cookie', 'SRV=cc']] }] },
  { name: 'stick match and store-request on separate tables', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'stick-table type string len 32 size 1k expire 1m', 'stick store-request req.hdr(x-user)', 'stick match req.hdr(x-user)',
      'stick match req.hdr(x-alt) table alt', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) + BE('alt', ['stick-table type string len 32 size 1k'])),
    requests: [{ uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-user', 'u3']] },
      { uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-alt', 'u1']] }, { uri: '/', headers: [['x-user', 'u3']] }] },
  { name: 'rate limit: track-sc0 src, deny over 3 requests', cfg: (p) => FE(p, [
      'stick-table type ip size 1k expire 1m store http_req_rate(10s),http_req_cnt', 'http-request track-sc0 src',
      'http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }', 'http-request set-header X-Cnt %[sc_http_req_cnt(0)]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: times(6, () => ({ uri: '/' })) },
  { name: 'gpc0 counter: sc-inc-gpc0 on bad paths, deny after two', cfg: (p) => FE(p, [
      'stick-table type ip size 1k expire 1m store gpc0', 'http-request track-sc0 src', 'http-request sc-inc-gpc0(0) if { path_beg /bad }',
      'http-request deny deny_status 403 if { sc_get_gpc0(0) ge 2 }', 'http-request set-header X-Gpc %[sc_get_gpc0(0)]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/ok' }, { uri: '/bad1' }, { uri: '/ok' }, { uri: '/bad2' }, { uri: '/ok' }] },
  { name: 'tcp-request content rules in HTTP mode: accept ends the set, track, set-var, reject', cfg: (p) => FE(p, [
      'stick-table type ip size 1k store conn_cnt,http_req_cnt', 'tcp-request inspect-delay 1s',
      'tcp-request content set-var(txn.via) str(tcp)', 'tcp-request content track-sc1 src',
      'tcp-request content accept if { req.hdr(x-ok) -m found }', 'tcp-request content reject if { path_beg /blocked }',
      'http-request set-header X-Via %[var(txn.via)]', 'http-request set-header X-Req %[sc1_http_req_cnt]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/a' }, { uri: '/blocked' }, { uri: '/blocked', headers: [['x-ok', '1']] }, { uri: '/b' }] },
  { name: 'variables across phases: txn, req, res and sess scopes', cfg: (p) => FE(p, [
      'http-request set-var(txn.t) str(T)', 'http-request set-var(req.r) str(R)', 'http-request set-var(sess.s) str(S)',
      'http-request set-header X-Req %[var(txn.t)]%[var(req.r)]%[var(sess.s)]', 'http-response set-var(res.o) status',
      'http-response set-header X-Resp %[var(txn.t)]-%[var(req.r)]-%[var(sess.s)]-%[var(res.o)]', 'http-request unset-var(txn.t) if { path /unset }',
      'default_backend be'], BE('be', ['http-request set-header X-Be %[var(txn.t)]', `server s1 ${O(1)}`])),
    requests: [{ uri: '/' }, { uri: '/unset' }] },
  { name: 'balance leastconn, first and source sequences', cfg: (p) => FE(p, ['use_backend lc if { path_beg /lc }', 'use_backend fi if { path_beg /fi }', 'default_backend src'],
      BE('lc', ['balance leastconn', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) + BE('fi', ['balance first', `server a ${O(1)} maxconn 2`, `server b ${O(2)}`]) +
      BE('src', ['balance source', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`])),
    requests: [...times(4, () => ({ uri: '/lc' })), ...times(3, () => ({ uri: '/fi' })), ...times(3, () => ({ uri: '/src' }))] },
  { name: 'balance uri (len, depth, whole) sequences', cfg: (p) => FE(p, ['use_backend whole if { path_beg /w }', 'use_backend depth if { path_beg /d }', 'default_backend plain'],
      BE('plain', ['balance uri len 4', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) + BE('whole', ['balance uri whole', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) +
      BE('depth', ['balance uri depth 2', 'hash-type consistent', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`])),
    requests: ['/abcdef', '/abcxyz', '/q1', '/q2/z', '/w?x=1', '/w?x=2', '/w?x=3', '/d/a/b', '/d/a/c', '/d/b/c', '/d/c'].map((uri) => ({ uri })) },
  { name: 'balance url_param, hdr and hash sequences', cfg: (p) => FE(p, ['use_backend up if { path_beg /up }', 'use_backend hd if { path_beg /hd }', 'default_backend hs'],
      BE('up', ['balance url_param uid', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) + BE('hd', ['balance hdr(x-key)', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`]) +
      BE('hs', ['balance hash req.hdr(x-user),lower', 'hash-type consistent', `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)}`])),
    requests: [{ uri: '/up?uid=1' }, { uri: '/up?uid=2' }, { uri: '/up?uid=3' }, { uri: '/up' }, { uri: '/up?uid=1' },
      { uri: '/hd', headers: [['x-key', 'k1']] }, { uri: '/hd', headers: [['x-key', 'k2']] }, { uri: '/hd' }, { uri: '/hd' },
      { uri: '/x', headers: [['x-user', 'Alice']] }, { uri: '/x', headers: [['x-user', 'bob']] }, { uri: '/x', headers: [['x-user', 'alice']] }] },
  { name: 'backup servers: allbackups, weighted backups, a down primary', cfg: (p) => FE(p, ['use_backend all if { path_beg /all }', 'default_backend one'],
      BE('one', [`server a ${O(1)} disabled`, `server b ${O(2)} backup`, `server c ${O(3)} backup`]) +
      BE('all', ['option allbackups', 'balance roundrobin', `server a ${O(1)} disabled`, `server b ${O(2)} backup weight 2`, `server c ${O(3)} backup`])),
    requests: [...times(3, () => ({ uri: '/' })), ...times(6, () => ({ uri: '/all' }))] },
  { name: 'option forwardfor: except, header, if-none', cfg: (p) => FE(p, ['use_backend exc if { path_beg /exc }', 'use_backend ifn if { path_beg /ifn }', 'default_backend hdr'],
      BE('exc', ['option forwardfor except 127.0.0.0/8', `server s1 ${O(1)}`]) + BE('ifn', ['option forwardfor if-none', `server s1 ${O(1)}`]) +
      BE('hdr', ['option forwardfor header X-Client', `server s1 ${O(1)}`])),
    requests: [{ uri: '/exc' }, { uri: '/ifn' }, { uri: '/ifn', headers: [['X-Forwarded-For', '9.9.9.9']] }, { uri: '/h' }, { uri: '/h', headers: [['X-Client', '1.1.1.1']] }] },
  { name: 'http-response skips HAProxy replies, http-after-response sees them (deny, return, redirect, 503)', cfg: (p) => FE(p, [
      'http-request deny if { path /deny }', 'http-request return status 200 content-type text/plain string ok if { path /ret }',
      'http-request redirect location /x if { path /redir }', 'use_backend down if { path /503 }',
      'http-response set-header X-Resp 1', 'http-after-response set-header X-After %[status]', 'http-after-response set-status 299 if { status 201 }', 'default_backend be'],
      BE('be', ['http-after-response add-header X-Be-After 1', `server s1 ${O(1)}`]) + BE('down', [`server s1 ${O(1)} disabled`])),
    requests: [{ uri: '/deny' }, { uri: '/ret' }, { uri: '/redir' }, { uri: '/503' }, { uri: '/', reply: { status: 201 } }, { uri: '/' }] },
  { name: 'errorfiles and http-errors sections', files: {
      '503.http': 'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\nx-custom: 503\r\n\r\n<h1>down</h1>\n',
      '403.http': 'HTTP/1.1 403 Forbidden\r\ncontent-type: text/html\r\nx-custom: 403\r\n\r\n<h1>no</h1>\n',
      '429.http': 'HTTP/1.1 429 Too Many Requests\r\ncontent-type: text/plain\r\nx-custom: 429-set\r\n\r\nslow\n' },
    cfg: (p, d) => `${DEF}http-errors set1\n    errorfile 429 ${d}/429.http\n` + FE(p, [
      `errorfile 503 ${d}/503.http`, `errorfile 403 ${d}/403.http`, 'errorfiles set1',
      'http-request deny if { path /deny }', 'http-request deny deny_status 429 if { path /d429 }',
      'http-request deny deny_status 403 errorfiles set1 if { path /other }', 'use_backend down if { path /503 }', 'default_backend be'],
      BE('be', [`server s1 ${O(1)}`]) + BE('down', [`errorfile 503 ${d}/503.http`, `server s1 ${O(1)} disabled`])),
    requests: [{ uri: '/deny' }, { uri: '/d429' }, { uri: '/other' }, { uri: '/503' }] },
  { name: 'cookie rewrite of the origin cookie', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'cookie SRV rewrite', `server a ${O(1)} cookie ca`, `server b ${O(2)} cookie cb`])),
    requests: [{ uri: '/', reply: { headers: [['Set-Cookie', 'SRV=app; path=/']] } }, { uri: '/', headers: [['Cookie', 'SRV=cb']], reply: { headers: [['Set-Cookie', 'SRV=other']] } },
      { uri: '/', headers: [['Cookie', 'SRV=cb']] }] },
  { name: 'cookie prefix', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'cookie JSESSIONID prefix', `server a ${O(1)} cookie ca`, `server b ${O(2)} cookie cb`])),
    requests: [{ uri: '/', reply: { headers: [['Set-Cookie', 'JSESSIONID=abc; path=/']] } }, { uri: '/', headers: [['Cookie', 'JSESSIONID=cb~abc; x=1']] },
      { uri: '/', headers: [['Cookie', 'JSESSIONID=cb~abc']], reply: { headers: [['Set-Cookie', 'JSESSIONID=def']] } }] },
  { name: 'cookie insert preserve, without indirect, with nocache on a cacheable reply', cfg: (p) => FE(p, ['use_backend pres if { path_beg /pres }', 'default_backend ins'], BE('pres', [
      'cookie SRV insert preserve nocache', `server a ${O(1)} cookie ca`, `server b ${O(2)} cookie cb`]) + BE('ins', [
      'cookie SRV insert nocache', 'http-response set-header X-Be 1', `server a ${O(1)} cookie ca`, `server b ${O(2)} cookie cb`])),
    requests: [{ uri: '/pres', reply: { headers: [['Set-Cookie', 'SRV=mine']] } }, { uri: '/pres' }, { uri: '/', headers: [['Cookie', 'SRV=cb']] },
      { uri: '/', reply: { headers: [['Cache-Control', 'public']] } }, { uri: '/', reply: { headers: [['Cache-Control', 'max-age=60']] } }, { uri: '/', method: 'POST' }] },
  { name: 'rules evaluate lazily: a rewrite changes what the next rule sees', cfg: (p) => FE(p, [
      'acl is_b path /b', 'http-request set-path /b if { path /a }', 'http-request set-header X-B yes if is_b',
      'http-request set-header Host new.example if is_b', 'http-request set-header X-Host %[req.hdr(host)]', 'use_backend bb if { hdr(host) new.example }', 'default_backend be'],
      BE('be', [`server s1 ${O(1)}`]) + BE('bb', [`server s2 ${O(2)}`])),
    requests: [{ uri: '/a' }, { uri: '/c' }] },
  { name: 'use-server order, a use-server on a disabled server, then stickiness', cfg: (p) => FE(p, ['default_backend be'], BE('be', [
      'stick-table type string len 16 size 1k', 'stick on req.hdr(x-u)', 'use-server b if { req.hdr(x-srv) b }', 'use-server c if { req.hdr(x-srv) c }',
      `server a ${O(1)}`, `server b ${O(2)}`, `server c ${O(3)} disabled`])),
    requests: [{ uri: '/', headers: [['x-srv', 'c'], ['x-u', 'u1']] }, { uri: '/', headers: [['x-srv', 'b'], ['x-u', 'u1']] }, { uri: '/', headers: [['x-u', 'u1']] },
      { uri: '/', headers: [['x-u', 'u2']] }, { uri: '/', headers: [['x-srv', 'b'], ['x-u', 'u2']] }, { uri: '/', headers: [['x-u', 'u2']] }] },
  { name: 'http_auth and http_auth_group against a userlist (insecure-password, $6$, $5$ and $1$ hashes)',
    cfg: (p) => `${DEF}userlist ul\n    group admins users alice,dave\n    group staff\n` +
      `    user alice insecure-password secret\n    user bob password ${SHA512_PW6} groups staff\n    user carol password ${SHA256_PW5} groups staff,admins\n    user dave password ${MD5_PW1}\n` +
      FE(p, ['http-request auth realm Private unless { http_auth(ul) }', 'http-request deny if { path_beg /admin } !{ http_auth_group(ul) admins }',
        'http-request set-header X-User %[http_auth_user]', 'http-request set-header X-Type %[http_auth_type]', 'http-request set-header X-Group-User %[http_auth_group(ul)]',
        'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [{ uri: '/' }, ...[basic('alice', 'secret'), basic('bob', 'pw6'), basic('carol', 'pw5'), basic('dave', 'pw1'), basic('bob', 'wrong'), basic('nobody', 'x'), 'Bearer abc']
      .flatMap((a) => [{ uri: '/', headers: [['Authorization', a]] as [string, string][] }, { uri: '/admin', headers: [['Authorization', a]] as [string, string][] }])] },  { name: 'set-map, del-map, add-acl and del-acl edit the files later requests read', files: { 'm.map': 'a x\nb y\n', 'deny.lst': '/blocked\n' },
    cfg: (p, d) => FE(p, [
      `http-request set-map(${d}/m.map) %[req.hdr(k)] %[req.hdr(v)] if { req.hdr(v) -m found }`,
      `http-request del-map(${d}/m.map) %[req.hdr(k)] if { req.hdr(del) -m found }`,
      `http-request add-acl(${d}/deny.lst) %[req.hdr(block)] if { req.hdr(block) -m found }`,
      `http-request del-acl(${d}/deny.lst) %[req.hdr(unblock)] if { req.hdr(unblock) -m found }`,
      `http-request deny if { path -f ${d}/deny.lst }`,
      `http-request set-header X-M %[req.hdr(k),map(${d}/m.map,none)]`,
      'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: [
      { uri: '/', headers: [['k', 'c']] }, { uri: '/', headers: [['k', 'c'], ['v', 'z']] }, { uri: '/', headers: [['k', 'c']] },
      { uri: '/', headers: [['k', 'a'], ['v', 'new']] }, { uri: '/', headers: [['k', 'a']] }, { uri: '/', headers: [['k', 'b'], ['del', '1']] },
      { uri: '/', headers: [['k', 'b']] }, { uri: '/blocked' }, { uri: '/x', headers: [['block', '/other']] }, { uri: '/other' },
      { uri: '/x', headers: [['unblock', '/blocked']] }, { uri: '/blocked' }, { uri: '/other' },
    ] },  { name: 'rate limit: track-sc0 src and deny over 3 requests (test/sim/golden/rate-limit.cfg)',
    cfg: (p) => FE(p, ['stick-table type ip size 1k expire 1m store http_req_rate(10s),http_req_cnt', 'http-request track-sc0 src',
      'http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }', 'http-request set-header x-req-rate %[sc_http_req_rate(0)]',
      'http-request set-header x-req-cnt %[sc0_http_req_cnt]', 'default_backend be'], BE('be', [`server s1 ${O(1)}`])),
    requests: times(5, (i) => ({ uri: `/${i + 1}` })) },
];
}
