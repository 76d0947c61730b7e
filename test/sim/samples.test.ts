// Fetches, converters, casts and log-formats on described requests (reference §4.2–§4.4).
import { describe, expect, it } from 'vitest';
import {
  cast, createContext, formatAddress, parseAddress, parseIPv4Loose, sampleToString, str, sint, bool, MISS,
  compileSample,
} from '../../packages/sim/src/index.js';
import { evalLogFormat, evalSample, req, sampleExpr } from './helpers.js';

const logo = () => req({ uri: '/images/png/logo/32x32.png', headers: [['Host', 'www.example.com:80'], ['X-List', 'a, b'], ['X-List', 'c'], ['X-J', 'a"b\\c']] });

describe('hdr splits on commas, fhdr does not (reference §4.3)', () => {
  it.each([
    ['req.hdr(x-list)', 'c'],
    ['req.hdr(x-list,1)', 'a'],
    ['req.hdr(x-list,-1)', 'c'],
    ['req.hdr(x-list,2)', 'b'],
    ['req.fhdr(x-list)', 'c'],
    ['req.fhdr(x-list,1)', 'a, b'],
    ['req.hdr_cnt(x-list)', '3'],
    ['req.fhdr_cnt(x-list)', '2'],
    ['hdr(X-LIST)', 'c'],
    ['req.hdr(nope)', ''],
  ])('%s → %s', (expr, want) => {
    expect(evalSample(expr, logo())).toBe(want);
  });
});

describe('converters reproduce the observed results on /images/png/logo/32x32.png (reference §4.4)', () => {
  it.each([
    ['path,field(2,/)', 'images'],
    ['path,word(2,/)', 'png'],
    ['path,regsub(/,_,g)', '_images_png_logo_32x32.png'],
    ['path,bytes(1,6)', 'images'],
    ['path,base64', 'L2ltYWdlcy9wbmcvbG9nby8zMngzMi5wbmc='],
    ['path,hex', '2F696D616765732F706E672F6C6F676F2F33327833322E706E67'],
    ['path,length', '26'],
    ['src,ipmask(24)', '127.0.0.0'],
    ['str(a),concat(-,txn.v,-)', 'a--'],
    ['req.hdr(x-j),json(utf8)', 'a\\"b\\\\c'],
    ['req.hdr(host),field(1,:)', 'www.example.com'],
    ['req.hdr(host),host_only', 'www.example.com'],
    ['req.hdr(host),port_only', '80'],
    ['path,upper', '/IMAGES/PNG/LOGO/32X32.PNG'],
    ['path,field(-1,/)', '32x32.png'],
    ['path,field(2,/,2)', 'images/png'],
    ['path,word(1,/,2)', 'images/png'],
    ['int(7),div(0)', '9223372036854775807'],
    ['int(-5),sub(1)', '9223372036854775807'], // 2.6's capped add wraps its own check
    ['int(6),xor(3)', '5'],
    ['str(ff),hex2i', '255'],
    ['str(aGVsbG8=),b64dec', 'hello'],
    ['str(xxabcxx),ltrim(x),rtrim(x)', 'abc'],
    ['path,crc32', '3128267723'],
    ['int(0),http_date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['int(86400),utime(%Y-%m-%dT%H:%M:%S)', '1970-01-02T00:00:00'],
    ['str(a%2Fb+c),url_dec', 'a/b+c'],
    ['str(a&c=d/e~),url_enc(query)', 'a%26c%3Dd%2Fe~'],
    ['str(x),set-var(txn.k),length', '1'],
    ['int(3),odd', '1'],
  ])('%s → %s', (expr, want) => {
    expect(evalSample(expr, logo())).toBe(want);
  });

  it('json_query reads a simple JSON path', () => {
    const ctx = req({ headers: [['X-Json', '{"a":{"b":[1,{"c":"deep"}]}}']] });
    expect(evalSample("req.fhdr(x-json),json_query('$.a.b[1].c')", ctx)).toBe('deep');
  });

  it('map files are read once at compile time through readFile', () => {
    let reads = 0;
    const env = { readFile: (p: string) => (reads++, p === 'm.map' ? '# c\n/images img\n/images/png png\n' : undefined) };
    const s = compileSample(sampleExpr('path,map_beg(m.map,none)'), env);
    expect(sampleToString(s.one(logo()) as never)).toBe('png');
    expect(sampleToString(s.one(req({ uri: '/other' })) as never)).toBe('none');
    expect(reads).toBe(1);
  });
});

describe('cookies, URL parameters and the request line', () => {
  const ctx = () => req({ method: 'POST', uri: '/p/q?a=1&b=xyz;a=3', headers: [['Host', 'h'], ['Cookie', 'sid=abc; other=1; sid=def']], body: 'k=v&foo=bar' });
  it.each([
    ['req.cook(sid)', 'def'],
    ['req.cook_cnt(sid)', '2'],
    ['req.cook()', 'abc'],
    ['url_param(a)', '1'],
    ['url_param(b)', 'xyz'],
    ['urlp(a,;)', '3'],
    ['query', 'a=1&b=xyz;a=3'],
    ['path', '/p/q'],
    ['pathq', '/p/q?a=1&b=xyz;a=3'],
    ['base', 'h/p/q'],
    ['method', 'POST'],
    ['req.ver', '1.1'],
    ['req.body_param(foo)', 'bar'],
    ['req.body', 'k=v&foo=bar'],
    ['capture.req.method', 'POST'],
  ])('%s → %s', (expr, want) => {
    expect(evalSample(expr, ctx())).toBe(want);
  });

  it('gives MISS for the body until it is complete, unless the wait is over', () => {
    const partial = createContext({ request: { body: 'k=', bodyComplete: false }, final: false });
    expect(compileSample(sampleExpr('req.body'), {}).one(partial)).toBe(MISS);
    partial.final = true;
    expect(sampleToString(compileSample(sampleExpr('req.body'), {}).one(partial) as never)).toBe('k=');
  });
});

describe('connection, TLS, response, variables and time', () => {
  it.each([
    ['src', { src: '10.1.2.3' }, '10.1.2.3'],
    ['src', { src: '2001:db8::1' }, '2001:db8::1'],
    ['dst_port', { dstPort: 8443 }, '8443'],
    ['ssl_fc', {}, '0'],
    ['ssl_fc', { tls: { sni: 'a.example' } }, '1'],
    ['ssl_fc_sni', { tls: { sni: 'a.example' } }, 'a.example'],
    ['req.ssl_sni', { clientHello: { sni: 'b.example' } }, 'b.example'],
    ['fe_name', { frontend: 'web' }, 'web'],
    ['be_name', { backend: 'app', phase: 'be-http-request' }, 'app'],
    ['be_name', { backend: 'app' }, ''], // not usable before a backend is chosen
    ['date', { now: () => 1_700_000_000_500 }, '1700000000'],
    ['env(HOME)', { env: { HOME: '/root' } }, '/root'],
    ['nbsrv(app)', { serverCounts: (b: string) => (b === 'app' ? 3 : undefined) }, '3'],
    ['var(txn.missing,dflt)', {}, 'dflt'],
    ['status', { response: { status: 404, headers: [['Set-Cookie', 'sid=x; Path=/']] } }, '404'],
    ['res.cook(sid)', { response: { status: 200, headers: [['Set-Cookie', 'sid=x; Path=/']] } }, 'x'],
    ['hdr(x-r)', { response: { status: 200, headers: [['X-R', 'resp']] }, request: { headers: [['X-R', 'req']] } }, 'resp'],
  ] as const)('%s with %j → %s', (expr, opts, want) => {
    expect(evalSample(expr, createContext({ request: {}, ...(opts as object) }))).toBe(want);
  });

  it('rand is deterministic through the injected random source', () => {
    const a = evalSample('rand(100)', createContext({ request: {}, random: () => 0.5 }));
    expect(a).toBe('50');
  });

  it('a fetch is not usable outside its phases (path in a response phase gives no sample)', () => {
    expect(evalSample('path', createContext({ request: { uri: '/x' }, response: { status: 200 }, phase: 'fe-http-response' }))).toBe('');
  });
});

describe('implicit casts', () => {
  it.each([
    [str('42abc'), 'sint', '42'],
    [str('-7'), 'sint', '-7'],
    [sint(0), 'bool', '0'],
    [bool(true), 'sint', '1'],
    [str('10.0.0.1'), 'ipv4', '10.0.0.1'],
    [str('::1'), 'addr', '::1'],
    [sint(167772161), 'ipv4', '10.0.0.1'],
    [str('not-an-ip'), 'ipv4', undefined],
    [str(''), 'sint', undefined],
  ] as const)('%j → %s gives %s', (s, to, want) => {
    const c = cast(s as never, to);
    expect(c === undefined ? undefined : sampleToString(c)).toBe(want);
  });

  it.each([
    ['127.1', '127.0.0.1'],
    ['10.12', '10.0.0.12'],
    ['1.2.3', '1.2.0.3'],
  ])('short IPv4 form %s = %s', (text, want) => {
    expect(formatAddress(parseIPv4Loose(text)!)).toBe(want);
  });

  it.each(['::1', '::', '2001:db8::1', '::ffff:127.0.0.1', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8'])('IPv6 %s round-trips', (a) => {
    expect(formatAddress(parseAddress(a)!)).toBe(a);
  });
});

describe('log-format strings', () => {
  it('joins text, %[expr] and %vars from the context (missing samples are empty)', () => {
    const ctx = createContext({ src: '10.0.0.9', srcPort: 5555, dstPort: 80, request: { method: 'GET', uri: '/a?b=1' }, frontend: 'fe', backend: 'be' });
    expect(evalLogFormat('%ci:%cp %HM %HP %HQ %HV %f>%b [%[req.hdr(x-none)]] %[path]', ctx)).toBe('10.0.0.9:5555 GET /a ?b=1 HTTP/1.1 fe>be [] /a');
  });
});
