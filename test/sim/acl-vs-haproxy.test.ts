// Differential test: the same fetch/converter expressions and ACLs evaluated by real HAProxy 2.6
// (loopback, echoing each result in a response header) and by haplo's compiled sample layer on
// the same described request. The haplo side reads the very config HAProxy runs: it parses it,
// compiles each `set-var` expression and each rule condition, and runs them in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, defaultEnvironment, parseConfig, type RuleStatement } from '@haplo/parser';
import { freePort } from '../support/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileCondition, compileSample, createAclTable, createContext, MISS, parseVarName, sampleToString, setVar,
  type CompileEnv, type StreamContext,
} from '../../packages/sim/src/index.js';
import { hasHaproxy } from '../support/haproxy.js';

const present = hasHaproxy();

/** Expressions echoed as `x-eN`. */
const EXPRS = [
  'path', 'pathq', 'url', 'query', 'method', 'base', 'base32', 'req.ver',
  'req.hdr(x-list)', 'req.hdr(x-list,1)', 'req.hdr(x-list,-2)', 'req.fhdr(x-list)', 'req.fhdr(x-list,1)',
  'req.hdr_cnt(x-list)', 'req.fhdr_cnt(x-list)', 'req.hdr_val(x-num)', 'req.hdr_ip(x-forwarded-for)',
  'req.cook(sid)', 'req.cook_cnt(sid)', 'req.cook()', 'req.cook_val(n)',
  'url_param(a)', 'url_param(b)', 'urlp(a,;)', 'urlp_val(n)',
  'req.hdr(host),field(1,:)', 'req.hdr(host),host_only', 'req.hdr(host),port_only',
  'path,field(2,/)', 'path,field(-1,/)', 'path,field(2,/,2)', 'path,field(3,/,0)', 'path,field(-2,/,2)',
  'path,word(2,/)', 'path,word(-1,/)', 'path,word(1,/,2)', 'path,regsub(/,_,g)', 'path,regsub(o,0)', 'path,regsub(G,=,ig)',
  'path,bytes(1,6)', 'path,base64', 'path,hex', 'path,length', 'path,upper', 'path,lower',
  'src,ipmask(24)', 'src,ipmask(255.255.0.0)', 'str(a),concat(-,txn.v,-)', 'req.hdr(x-j),json(utf8)', 'req.hdr(x-j),json(ascii)',
  'path,djb2', 'path,sdbm', 'path,wt6', 'path,crc32', 'path,djb2(1)', 'path,sdbm(1)', 'path,sha1,hex', 'path,sha2,base64', 'path,crc32,hex',
  'int(10),add(5)', 'int(7),mul(3)', 'int(7),div(2)', 'int(7),div(0)', 'int(7),mod(3)', 'int(6),and(3)', 'int(6),or(3)', 'int(6),xor(3)',
  'int(5),neg', 'req.hdr_val(x-num),sub(1)', 'req.hdr_val(x-num),add(txn.n)', 'int(3),even', 'int(3),odd', 'int(0),not', 'int(2),bool',
  'path,url_dec', 'query,url_dec', 'query,url_dec(1)', 'req.hdr(x-enc),url_enc(query)', 'str(ff),hex2i', 'str(aGVsbG8=),b64dec',
  'str(xxabcxx),ltrim(x)', 'str(xxabcxx),rtrim(x)', 'path,strcmp(txn.p)', 'int(0),http_date', 'int(86400),utime(%Y-%m-%dT%H:%M:%S)',
  'path,map_beg(paths.map,none)', 'req.hdr(host),field(1,:),map_dom(hosts.map)', 'src,map_ip(nets.map,nowhere)', 'path,map_beg_int(nums.map,0)',
  'req.hdr(x-num),map_int(ints.map,zero)', 'fe_name', 'dst_port', 'ssl_fc', 'req.proto_http', 'capture.req.method', 'capture.req.uri',
  'req.body', 'req.body_param(k)', 'req.body_param(foo)', 'req.hdr(x-list),lower,set-var(txn.last),length', 'var(txn.last)',
];

/** ACLs echoed as `x-aN` ("1" when matched). */
const ACLS = [
  'path_beg /images', 'path_end .png', 'path_sub logo', 'path_dir png', 'path_dir 32x32', 'path_dir /images', 'path_dir logo/32x32.png',
  'path_reg ^/img', 'path_reg -i ^/IMAGES', 'path -i /IMAGES/PNG/LOGO/32X32.PNG', 'hdr(x-list) b', 'req.fhdr(x-list) -m str b',
  'req.fhdr(x-list) -m str "a, b"', 'hdr_dom(host) example', 'hdr_dom(host) ample', 'hdr_beg(host) -i WWW.', 'req.cook(sid) abc', 'cook(sid) def',
  'dst_port ge 1', 'dst_port :65535', 'dst_port 1:1023', 'src 127.1', 'src 127.0.0.0/8', 'src 10.0.0.0/255.0.0.0', 'src ::ffff:127.0.0.1', 'src ::1',
  'req.hdr_cnt(x-list) -m bool', 'req.hdr_cnt(x-list) gt 2', 'ssl_fc -m int 0', 'method GET', 'urlp(a) -m found', 'url_param(b) -m len 3',
  'path -m len gt 10', 'req.hdr(x-num) -m int 10:20', 'req.hdr_val(x-num) lt 15', 'query -m sub a=', 'path,lower -m end .png', 'path_beg,lower /images',
  'req.hdr(x-forwarded-for) -m ip 10.0.0.0/8', 'req.hdr_ip(x-forwarded-for) 10.0.0.0/8', 'hdr_ip(x-forwarded-for) 2001:db8::/32',
  'req.cook(sid) -m beg ab', 'base_dom example', 'base_reg ^www\\.example\\.com', 'url_beg /', 'req.body -m sub foo', 'req.body_param(k) -m str v',
  'path -f words.lst', 'path -i -f words.lst', 'path -f words.lst -i /CASE', 'path -m dom png', 'req.hdr(host) -m dom com:80',
  'hdr(x-list) -m reg ^[ab]$', 'req.hdr(x-list),length -m int 1', 'path_len 26', 'req.hdr(x-empty) -m found', 'req.hdr(x-empty) -m len 0',
];

/** Named-ACL conditions echoed as `x-cN`. */
const CONDITIONS = [
  'if a_img a_png', 'if a_img !a_png', 'if a_img || a_png', 'if !a_img or a_png', 'unless a_img', 'if a_dup', 'if METH_GET',
  'if HTTP_1.1', 'if HTTP_URL_SLASH', 'if HTTP_CONTENT', 'if LOCALHOST', 'if TRUE', 'if FALSE', 'if ! ! a_img', 'if a_img { path_end .png }',
  'if { hdr(x-list) c } || FALSE', 'unless METH_POST a_img', 'if METH_POST or METH_PUT', 'if REQ_CONTENT', 'if HTTP_URL_ABS',
];

interface Req {
  method?: string;
  path: string;
  headers: [string, string][];
  body?: string;
}

const H = (host = 'www.example.com:80'): [string, string] => ['Host', host];
const REQUESTS: Req[] = [
  { path: '/images/png/logo/32x32.png', headers: [H(), ['X-List', 'a, b'], ['X-List', 'c']] },
  { path: '/images/png/logo/32x32.png?a=1&b=xyz&n=17', headers: [H('WWW.Example.COM:8080'), ['Cookie', 'sid=abc; other=1; sid=def'], ['X-Num', '15']] },
  { method: 'HEAD', path: '/img/a.png', headers: [H('example.com'), ['X-Num', '25'], ['X-Forwarded-For', '10.1.2.3']] },
  { method: 'POST', path: '/form', headers: [H(), ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', '18']], body: 'k=v&foo=bar&k=last' },
  { path: '/IMAGES/PNG/LOGO/32X32.PNG', headers: [H('www.ample.org'), ['X-Forwarded-For', '2001:db8::1'], ['Cookie', 'n=42; sid=abzz']] },
  { path: '/?a=&b=2;a=3', headers: [H(), ['X-List', 'b'], ['X-J', 'a"b\\c/d']] },
  { path: '/a%20b/c%2Fd?q=a+b%21&n=-3', headers: [H(), ['X-Enc', 'a b&c=d/~x'], ['X-Num', 'abc']] },
  { path: '/case', headers: [H(), ['X-List', 'A'], ['X-Empty', '']] },
  { path: '/CASE', headers: [H('localhost')] },
  { path: '/words/alpha', headers: [H(), ['X-List', ' spaced ,  out ']] },
  { method: 'PUT', path: '/x/y/z', headers: [H(), ['Content-Length', '3']], body: 'foo' },
  { method: 'OPTIONS', path: '/opt', headers: [H('a.b.c:443')] },
  { path: '/deep/path/with/many/segments/file.txt', headers: [H(), ['X-Forwarded-For', '192.168.1.1:8080']] },
  { path: '/q?a=1&a=2&b=abc', headers: [H(), ['Cookie', 'sid=def'], ['Cookie', 'sid=xyz']] },
  { path: '/logo/32x32.png', headers: [H(), ['X-Num', '12'], ['X-List', 'x,y,z,b']] },
  { path: '/img', headers: [H('www.example.com')] },
  { path: '/images', headers: [H('www.example.com:80')] },
  { path: '/imagesX/png', headers: [H()] },
  { path: '/png', headers: [H('png.example.com')] },
  { path: '/a/b/c', headers: [H(), ['X-J', 'tab\there']] },
  { path: 'http://www.example.com/abs?x=1', headers: [H()] },
  { path: '/%41%42', headers: [H()] },
  { path: '/semi;a=1?a=4', headers: [H()] },
  { path: '/trailing/', headers: [H()] },
  { path: '//double//slash', headers: [H()] },
  { method: 'DELETE', path: '/del', headers: [H(), ['X-Num', '-5']] },
  { path: '/n?n=abc', headers: [H()] },
  { path: '/n?n=99999', headers: [H(), ['X-Num', '99999']] },
  { path: '/cookie', headers: [H(), ['Cookie', 'a=1, sid=comma']] },
  { path: '/cookie2', headers: [H(), ['Cookie', 'sid=; n=7']] },
  { path: '/xff', headers: [H(), ['X-Forwarded-For', '10.0.0.1, 10.0.0.2']] },
  { path: '/xff6', headers: [H(), ['X-Forwarded-For', '::ffff:10.2.3.4']] },
  { path: '/host', headers: [H('[::1]:8080')] },
  { path: '/nohostport', headers: [H('example.com')] },
  { path: '/images/png', headers: [H(), ['X-List', 'a'], ['X-List', 'b'], ['X-List', 'c']] },
  { method: 'POST', path: '/json', headers: [H(), ['Content-Length', '7']], body: 'k=v&z=1' },
  { path: '/long/' + 'x'.repeat(40), headers: [H()] },
  { path: '/ümlaut'.replace('ü', '%C3%BC'), headers: [H()] },
  { path: '/q?b=a%20b', headers: [H(), ['X-J', 'plain']] },
  { path: '/end', headers: [H(), ['X-List', '"quoted, comma", b']] },
];

const MAPS: Record<string, string> = {
  'paths.map': '# comment\n/images img\n/img short\n/x 7\n/images/png 12\n',
  'hosts.map': 'example.com ex\nample.org am\n',
  'nets.map': '10.0.0.0/8 ten\n127.0.0.0/8 loop\n127.0.0.1 exact\n',
  'nums.map': '/images 12\n/x 7\n',
  'ints.map': '15 fifteen\n12 twelve\n',
  'words.lst': '# patterns\n  /case\n\n/words/alpha\n',
};

function configText(port: number): string {
  const lines = [
    'global', '  maxconn 200', '',
    'defaults', '  mode http', '  timeout connect 2s', '  timeout client 5s', '  timeout server 5s', '  option http-buffer-request', '',
    'frontend fe', `  bind 127.0.0.1:${port}`,
    '  acl a_img path_beg /images', '  acl a_png path_end .png', '  acl a_dup path_beg /nothing', '  acl a_dup path_beg /img',
  ];
  ACLS.forEach((a, i) => lines.push(`  acl acl${i} ${a}`));
  lines.push('  http-request set-var(txn.n) int(2)', '  http-request set-var(txn.p) str(/img)');
  EXPRS.forEach((e, i) => lines.push(`  http-request set-var(txn.e${i}) ${e}`));
  ACLS.forEach((_, i) => lines.push(`  http-request set-var(txn.a${i}) str(1) if acl${i}`));
  CONDITIONS.forEach((c, i) => lines.push(`  http-request set-var(txn.c${i}) str(1) ${c}`));
  lines.push('  http-request return status 200 content-type text/plain string ok');
  for (const [prefix, n] of [['e', EXPRS.length], ['a', ACLS.length], ['c', CONDITIONS.length]] as const) {
    for (let i = 0; i < n; i++) lines.push(`  http-after-response set-header x-${prefix}${i} "%[var(txn.${prefix}${i})]"`);
  }
  return lines.join('\n') + '\n';
}

/** Runs the frontend's http-request set-var rules through haplo and returns the echoed header values. */
function haploRun(rules: readonly { rule: RuleStatement; run: (ctx: StreamContext) => void }[], ctx: StreamContext): Record<string, string> {
  for (const r of rules) r.run(ctx);
  const out: Record<string, string> = {};
  for (const [k, v] of ctx.vars.txn) out[`x-${k}`] = sampleToString(v);
  return out;
}


function send(port: number, r: Req): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const flat: string[] = [];
    for (const [k, v] of r.headers) flat.push(k, v);
    flat.push('Connection', 'close');
    const rq = request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path, headers: flat, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (/^x-[eac]\d+$/.test(k)) h[k] = Buffer.from(String(v), 'latin1').toString('utf8'); // Node reads header bytes as latin1
        resolve(h);
      });
    });
    rq.on('error', reject);
    rq.end(r.body);
  });
}

async function waitListening(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const rq = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 500 }, (res) => { res.resume(); resolve(true); });
      rq.on('error', () => resolve(false));
      rq.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('haproxy did not start');
}

describe.skipIf(!present)('sample layer vs HAProxy 2.6 (loopback)', () => {
  let dir = '';
  let child: ChildProcess | undefined;
  let port = 0;
  let stderr = '';
  let compiled: { rule: RuleStatement; run: (ctx: StreamContext) => void }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haplo-sim-diff-'));
    for (const [name, text] of Object.entries(MAPS)) writeFileSync(join(dir, name), text);
    port = await freePort();
    const text = configText(port);
    writeFileSync(join(dir, 'fe.cfg'), text);
    child = spawn('timeout', ['25', 'haproxy', '-db', '-f', 'fe.cfg'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitListening(port, Date.now() + 8000).catch((e: Error) => { throw new Error(`${e.message}\n${stderr}`); });

    // haplo: the same config, parsed, compiled once.
    const { file } = parseConfig(text, 'fe.cfg', { env: defaultEnvironment({}) });
    const fe = buildModel([file]).proxies.find((p) => p.name === 'fe')!;
    const env: CompileEnv = { readFile: (p) => { try { return readFileSync(join(dir, p), 'utf8'); } catch { return undefined; } } };
    const acls = createAclTable(fe, env);
    compiled = fe.rules.get('http-request')!.filter((r) => r.actionName === 'set-var').map((rule) => {
      const ref = parseVarName(/\(([^)]*)\)/.exec(rule.action!.value)![1]!)!;
      const sample = compileSample(rule.samples[0]!.expr, env);
      const cond = compileCondition(rule.condition, acls, env);
      return {
        rule,
        run(ctx: StreamContext) {
          if (cond(ctx).result !== 'pass') return;
          const v = sample.one(ctx);
          if (v !== undefined && v !== MISS) setVar(ctx, ref, v);
        },
      };
    });
  }, 20_000);

  afterAll(() => {
    if (child?.pid) child.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same fetch, converter, ACL and condition results on 40 requests', async () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const r of REQUESTS) {
      const got = await send(port, r);
      const ctx = createContext({
        src: '127.0.0.1', dst: '127.0.0.1', dstPort: port,
        request: { method: r.method ?? 'GET', uri: r.path, headers: [...r.headers, ['Connection', 'close']], body: r.body },
        frontend: 'fe',
      });
      const want = haploRun(compiled, ctx);
      const keys = new Set([...Object.keys(got), ...Object.keys(want)].filter((k) => !['x-n', 'x-p', 'x-last'].includes(k)));
      for (const k of keys) {
        compared++;
        const h = got[k] ?? '';
        const s = want[k] ?? '';
        if (h !== s) {
          const [kind, idx] = [k[2], Number(k.slice(3))];
          const what = kind === 'e' ? EXPRS[idx] : kind === 'a' ? ACLS[idx] : CONDITIONS[idx];
          mismatches.push(`${r.method ?? 'GET'} ${r.path}  ${k} [${what}]: haproxy=${JSON.stringify(h)} haplo=${JSON.stringify(s)}`);
        }
      }
    }
    console.log(`compared ${compared} values over ${REQUESTS.length} requests; ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
  }, 25_000);
});

if (!present) {
  describe('sample layer vs HAProxy 2.6', () => {
    it.skip('skipped: no `haproxy` binary on PATH (install the Debian package haproxy to run it)', () => {});
  });
}
