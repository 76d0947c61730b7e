// ACL matching: every match method, flags, integer operators and ranges, IP forms, predefined
// ACLs and three-valued results (reference §3.2–§3.5, §3.9).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../packages/parser/src/index.js';
import { compileAclExpr, createContext, predefinedAcl, SimCompileError } from '../../packages/sim/src/index.js';
import { aclExpr, aclResult, req } from './helpers.js';

const logo = () => req({
  uri: '/images/png/logo/32x32.png?x=1',
  headers: [['Host', 'www.example.com:80'], ['X-List', 'a, b'], ['X-List', 'c'], ['Cookie', 'sid=abc; other=1; sid=def'], ['X-Num', '15']],
}, { src: '127.0.0.1', dstPort: 47090 });

describe('match methods', () => {
  it.each([
    // str / sub / beg / end / reg / len
    ['path /images/png/logo/32x32.png', 'pass'],
    ['path /images', 'fail'],
    ['path -i /IMAGES/PNG/LOGO/32X32.PNG', 'pass'],
    ['path_sub logo', 'pass'],
    ['path_beg /images', 'pass'],
    ['path_end .png', 'pass'],
    ['path_reg ^/ima', 'pass'],
    ['path_reg -i ^/IMAGES', 'pass'],
    ['path_reg ^/IMAGES', 'fail'],
    ['path_len 26', 'pass'],
    ['path -m len gt 20', 'pass'],
    // dir (observed R02): whole /-segments
    ['path_dir png', 'pass'],
    ['path_dir 32x32', 'fail'],
    ['path_dir /images', 'pass'],
    ['path_dir logo/32x32.png', 'pass'],
    // dom (observed R01): segments split by . : / ?
    ['hdr_dom(host) example', 'pass'],
    ['hdr_dom(host) ample', 'fail'],
    ['hdr_dom(host) com:80', 'pass'],
    // found / bool
    ['req.hdr(x-list) -m found', 'pass'],
    ['req.hdr(x-none) -m found', 'fail'],
    ['req.hdr_cnt(host) -m bool', 'pass'],
    ['req.hdr_cnt(x-none) -m bool', 'fail'],
    ['ssl_fc -m int 0', 'pass'],
    // bin
    ['path,bytes(0,2) -m bin 2F69', 'pass'],
    ['path,bytes(0,2) -m bin 2F6A', 'fail'],
    // multi-valued fetches try every value (§3.6, §4.3)
    ['hdr(x-list) b', 'pass'],
    ['req.fhdr(x-list) -m str b', 'fail'],
    ['req.fhdr(x-list) -m str "a, b"', 'pass'],
    ['req.cook(sid) abc', 'pass'],
    ['cook(sid) def', 'pass'],
    // a converter after a derivative drops its implied method
    ['path_beg,lower /images', 'fail'],
    ['path,lower -m end .png', 'pass'],
    // default method from the output type
    ['method GET', 'pass'],
    ['req.hdr_val(x-num) 15', 'pass'],
  ])('%s → %s', (text, want) => {
    expect(aclResult(text, logo())).toBe(want);
  });
});

describe('integer operators and ranges (reference §3.4)', () => {
  it.each([
    ['dst_port le 47000 47100', 'pass'],
    ['dst_port :47095', 'pass'],
    ['dst_port 47000:47100', 'pass'],
    ['dst_port 47091:', 'fail'],
    ['dst_port gt 47089', 'pass'],
    ['dst_port gt 47090', 'fail'],
    ['dst_port lt 47091', 'pass'],
    ['dst_port ge 47090', 'pass'],
    ['dst_port eq 47090', 'pass'],
    ['dst_port 1 2 3', 'fail'],
  ])('%s → %s', (text, want) => {
    expect(aclResult(text, logo())).toBe(want);
  });

  it('reads dotted versions for req.ssl_ver', () => {
    const ctx = createContext({ clientHello: { helloVersion: (3 << 16) | 3 }, phase: 'fe-tcp-content' });
    expect(aclResult('req.ssl_ver 3.1:3.3', ctx)).toBe('pass');
    expect(aclResult('req_ssl_ver 3.0', ctx)).toBe('fail');
  });

  it("rejects a non-number with HAProxy's message", () => {
    expect(() => compileAclExpr(aclExpr('dst_port abc'), {})).toThrow("'abc' is not a number.");
  });
});

describe('IP matching (reference §3.5)', () => {
  const v4 = (src: string) => req({}, { src });
  it.each([
    ['src 127.1', '127.0.0.1', 'pass'],
    ['src 127.0.0.0/8', '127.9.9.9', 'pass'],
    ['src 10.12/8', '10.200.0.1', 'pass'],
    ['src 10.0.0.0/255.0.0.0', '10.1.1.1', 'pass'],
    ['src 10.0.0.0/255.0.0.0', '11.1.1.1', 'fail'],
    ['src ::ffff:127.0.0.1', '127.0.0.1', 'pass'],
    ['src ::1', '127.0.0.1', 'fail'],
    ['src 127.0.0.1', '::ffff:127.0.0.1', 'pass'],
    ['src 127.0.0.1', '::127.0.0.1', 'pass'],
    ['src 192.0.2.1', '2002:c000:0201::', 'pass'],
    ['src 2001:db8::/32', '2001:db8:1::5', 'pass'],
    ['src 2001:db8::/32', '2001:db9::5', 'fail'],
    ['src -n 127.0.0.1', '127.0.0.1', 'pass'],
  ])('%s with client %s → %s', (text, src, want) => {
    expect(aclResult(text, v4(src))).toBe(want);
  });

  it('rejects a bad address', () => {
    expect(() => compileAclExpr(aclExpr('src 300.1.2.3'), {})).toThrow("'300.1.2.3' is not a valid IPv4 or IPv6 address.");
  });
  it('-n refuses the short forms that need the resolver', () => {
    expect(() => compileAclExpr(aclExpr('src -n 127.1'), {})).toThrow(SimCompileError);
  });
});

describe('flags (reference §3.2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-acl-'));
  writeFileSync(join(dir, 'p.lst'), '# comment\n\n   /a\n/B\n');
  const env = { readFile: (p: string) => { try { return readFileSync(join(dir, p), 'utf8'); } catch { return undefined; } } };
  it.each([
    ['path -f p.lst', '/a', 'pass'],
    ['path -f p.lst', '/# comment', 'fail'],
    ['path -f p.lst', '/b', 'fail'],
    ['path -i -f p.lst', '/b', 'pass'],
    ['path -f p.lst -i /c', '/b', 'fail'], // -i affects only what follows it
    ['path -f p.lst -i /c', '/C', 'pass'],
    ['url -- -i', '-i', 'pass'],
    ['path -m beg -f p.lst', '/abc', 'pass'],
    ['path -u 7 /a', '/a', 'pass'],
  ])('%s on %s → %s', (text, uri, want) => {
    expect(aclResult(text, req({ uri }), env)).toBe(want);
  });

  it('reports a missing pattern file', () => {
    expect(() => compileAclExpr(aclExpr('path -f /nonexistent.lst'), env)).toThrow('failed to open pattern file </nonexistent.lst>.');
  });
  it('-M takes the key column of a map file', () => {
    writeFileSync(join(dir, 'm.map'), '/k1 v1\n/k2 v2\n');
    expect(aclResult('path -M -f m.map', req({ uri: '/k2' }), env)).toBe('pass');
  });
  it('no pattern at all never matches', () => {
    expect(aclResult('path_beg', req({ uri: '/' }))).toBe('fail');
  });
  it('needs -m for binary fetches', () => {
    expect(() => compileAclExpr(aclExpr('req.body abc'), {})).toThrow("matching method must be specified first (using '-m')");
  });
});

describe('predefined ACLs (reference §3.9)', () => {
  it('compiles every predefined ACL of the catalogue', () => {
    for (const { name } of catalogue.predefinedAcls) expect(predefinedAcl(name), name).toBeDefined();
  });

  it.each([
    ['TRUE', {}, 'pass'],
    ['FALSE', {}, 'fail'],
    ['LOCALHOST', {}, 'pass'],
    ['LOCALHOST', { src: '10.0.0.1' }, 'fail'],
    ['LOCALHOST', { src: '::1' }, 'pass'],
    ['HTTP', {}, 'pass'],
    ['HTTP_1.1', {}, 'pass'],
    ['HTTP_1.0', { request: { version: '1.0' } }, 'pass'],
    ['HTTP_2.0', {}, 'fail'],
    ['HTTP_CONTENT', { request: { headers: [['Content-Length', '3']] } }, 'pass'],
    ['HTTP_CONTENT', {}, 'fail'],
    ['HTTP_URL_ABS', { request: { uri: 'http://x/y' } }, 'pass'],
    ['HTTP_URL_SLASH', {}, 'pass'],
    ['HTTP_URL_STAR', { request: { method: 'OPTIONS', uri: '*' } }, 'pass'],
    ['METH_GET', { request: { method: 'HEAD' } }, 'pass'],
    ['METH_GET', { request: { method: 'POST' } }, 'fail'],
    ['METH_POST', { request: { method: 'POST' } }, 'pass'],
    ['METH_CONNECT', {}, 'fail'],
    ['REQ_CONTENT', {}, 'pass'],
    ['WAIT_END', { final: false }, 'miss'],
    ['WAIT_END', {}, 'pass'],
  ] as const)('%s with %j → %s', (name, opts, want) => {
    const ctx = createContext({ request: {}, ...(opts as object) });
    expect(predefinedAcl(name)!.evaluate(ctx).result).toBe(want);
  });
});

describe('three-valued results', () => {
  it('gives MISS while the data may still arrive, FAIL once it cannot', () => {
    const waiting = createContext({ phase: 'fe-tcp-content', final: false });
    expect(aclResult('path_beg /x', waiting)).toBe('miss');
    expect(aclResult('req.len gt 100', createContext({ request: {}, phase: 'fe-tcp-content', final: false }))).toBe('miss');
    expect(aclResult('path_beg /x', createContext({ phase: 'fe-tcp-content', final: true }))).toBe('fail');
  });
  it('records every value tried', () => {
    expect(compileAclExpr(aclExpr('hdr(x-list) z'), {}).evaluate(logo()).values).toEqual(['a', 'b', 'c']);
  });
});
