import { describe, expect, it } from 'vitest';
import type { Range } from '../../packages/parser/src/ast/nodes.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { buildModel } from '../../packages/parser/src/model/build-model.js';
import type { Model, ProxyModel, SymbolKind, SymbolRef } from '../../packages/parser/src/model/types.js';
import { parseConfig } from '../../packages/parser/src/parse/document-parser.js';

function model(lines: string[], vars: Record<string, string> = {}): Model {
  const text = lines.join('\n') + '\n';
  return buildModel([parseConfig(text, 'x.cfg', { env: defaultEnvironment(vars) }).file]);
}

function proxy(m: Model, name: string, kind?: ProxyModel['kind']): ProxyModel {
  const p = [...m.defaults, ...m.proxies].find((x) => x.name === name && (!kind || x.kind === kind));
  if (!p) throw new Error(`no proxy ${name}`);
  return p;
}

function refs(m: Model, kind: SymbolKind, name?: string): SymbolRef[] {
  return m.symbols.references.filter((r) => r.kind === kind && (name === undefined || r.name === name));
}

/** The 0-based range of the first `needle` on line `line` that is not part of a longer name. */
function where(lines: string[], line: number, needle: string): { line: number; column: number; endColumn: number } {
  const text = lines[line]!;
  const isName = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.-]/.test(c);
  for (let column = text.indexOf(needle); column >= 0; column = text.indexOf(needle, column + 1)) {
    if (!isName(text[column - 1]) && !isName(text[column + needle.length])) return { line, column, endColumn: column + needle.length };
  }
  throw new Error(`'${needle}' not on line ${line}`);
}

function span(r: Range): { line: number; column: number; endColumn: number } {
  expect(r.end.line).toBe(r.start.line);
  return { line: r.start.line, column: r.start.column, endColumn: r.end.column };
}

describe('defaults inheritance', () => {
  const cfg = [
    'defaults', //                                 0
    '  mode http', //                              1
    '  timeout client 30s', //                     2
    '  option httplog', //                         3
    '  option forwardfor', //                      4
    'frontend fe', //                              5
    '  bind :80', //                               6
    '  timeout client 10s', //                     7
    '  no option httplog', //                      8
    'backend be', //                               9
    '  server s1 10.0.0.1:80', //                  10
    'defaults', //                                 11
    '  timeout connect 5s', //                     12
    'backend be2', //                              13
    'listen li', //                                14
    '  mode tcp', //                               15
  ];
  const m = model(cfg);

  it('links proxies to the last defaults above them', () => {
    expect(m.defaults).toHaveLength(2);
    expect(proxy(m, 'fe').defaults).toBe(m.defaults[0]);
    expect(proxy(m, 'be').defaults).toBe(m.defaults[0]);
    expect(proxy(m, 'be2').defaults).toBe(m.defaults[1]);
    expect(m.defaults[0]!.name).toBe('');
  });

  it('inherits mode and timeouts with the statement and section that wrote them', () => {
    const be = proxy(m, 'be');
    expect(be.mode).toBe('http');
    expect(be.modeStatement?.line.line).toBe(1);
    const client = be.timeouts.get('client')!;
    expect(client.value).toBe(30_000);
    expect(client.statement.line.line).toBe(2);
    expect(client.from).toBe(m.defaults[0]);
  });

  it('lets the proxy override, and `no option` sets false', () => {
    const fe = proxy(m, 'fe');
    expect(fe.timeouts.get('client')).toMatchObject({ value: 10_000, from: fe });
    expect(fe.timeouts.get('client')!.statement.line.line).toBe(7);
    expect(fe.options.get('httplog')).toMatchObject({ value: false, from: fe });
    expect(fe.options.get('httplog')!.statement.line.line).toBe(8);
    expect(fe.options.get('forwardfor')).toMatchObject({ value: true, from: m.defaults[0] });
    // the defaults section itself is untouched
    expect(m.defaults[0]!.options.get('httplog')!.value).toBe(true);
  });

  it('a later defaults section resets everything', () => {
    const be2 = proxy(m, 'be2');
    expect(be2.mode).toBe('tcp');
    expect(be2.modeStatement).toBeUndefined();
    expect(be2.timeouts.has('client')).toBe(false);
    expect(be2.timeouts.get('connect')).toMatchObject({ value: 5000, from: m.defaults[1] });
    expect(be2.options.size).toBe(0);
  });

  it('gives each proxy kind its capabilities', () => {
    expect(proxy(m, 'fe').capabilities).toEqual({ frontend: true, backend: false });
    expect(proxy(m, 'be').capabilities).toEqual({ frontend: false, backend: true });
    expect(proxy(m, 'li').capabilities).toEqual({ frontend: true, backend: true });
    expect(proxy(m, 'li').mode).toBe('tcp');
    expect(proxy(m, 'li').modeStatement?.line.line).toBe(15);
  });

  it('maps every proxy statement to its proxy', () => {
    const fe = proxy(m, 'fe');
    for (const s of fe.statements) expect(m.proxyOf.get(s)).toBe(fe);
    expect(m.proxyOf.get(m.defaults[0]!.statements[0]!)).toBe(m.defaults[0]);
    expect(m.proxies.map((p) => p.name)).toEqual(['fe', 'be', 'be2', 'li']);
  });
});

describe('named defaults and from', () => {
  const cfg = [
    'defaults base', //                      0
    '  mode http', //                        1
    '  timeout connect 5s', //               2
    '  option redispatch', //                3
    'defaults web from base', //             4
    '  timeout client 30s', //               5
    '  no option redispatch', //             6
    '  balance hdr(host) use_domain_only', // 7
    'defaults', //                           8
    '  mode tcp', //                         9
    'backend b from web', //                 10
    '  default option redispatch', //        11
    'backend c', //                          12
    'backend d from nosuch', //              13
  ];
  const m = model(cfg);
  const base = proxy(m, 'base');
  const web = proxy(m, 'web');

  it('follows from, several levels deep', () => {
    const b = proxy(m, 'b');
    expect(b.defaults).toBe(web);
    expect(web.defaults).toBe(base);
    expect(base.defaults).toBeUndefined();
    expect(b.mode).toBe('http');
    expect(b.modeStatement?.line.line).toBe(1);
    expect(b.timeouts.get('connect')).toMatchObject({ value: 5000, from: base });
    expect(b.timeouts.get('client')).toMatchObject({ value: 30_000, from: web });
    expect(b.balance?.value).toMatchObject({ algorithm: 'hdr', param: 'host' });
    expect(b.balance?.value.args.map((w) => w.value)).toEqual(['use_domain_only']);
    expect(b.balance?.from).toBe(web);
  });

  it('`default option` restores the inherited value', () => {
    expect(web.options.get('redispatch')).toMatchObject({ value: false, from: web });
    expect(proxy(m, 'b').options.get('redispatch')).toMatchObject({ value: false, from: web });
  });

  it('without from, a proxy takes the last defaults, named or not', () => {
    expect(proxy(m, 'c').defaults).toBe(m.defaults[2]);
    expect(proxy(m, 'c').mode).toBe('tcp');
  });

  it('resolves from references with their exact range, and leaves unknown ones unresolved', () => {
    const webRef = refs(m, 'defaults', 'web')[0]!;
    expect(span(webRef.range)).toEqual(where(cfg, 10, 'web'));
    expect(webRef.target?.proxy).toBe(web);
    expect(webRef.target?.kind).toBe('defaults');
    const baseRef = refs(m, 'defaults', 'base')[0]!;
    expect(span(baseRef.range)).toEqual(where(cfg, 4, 'base'));
    expect(baseRef.target?.proxy).toBe(base);
    const bad = refs(m, 'defaults', 'nosuch')[0]!;
    expect(bad.target).toBeUndefined();
    expect(proxy(m, 'd').defaults).toBeUndefined();
  });

  it('from must name a defaults section above', () => {
    const m2 = model(['backend b from later', 'defaults later', '  mode http']);
    expect(proxy(m2, 'b').defaults).toBeUndefined();
    expect(refs(m2, 'defaults', 'later')[0]!.target).toBeUndefined();
  });
});

describe('servers', () => {
  const cfg = [
    'defaults', //                                                          0
    '  default-server inter 3s check', //                                   1
    'backend be', //                                                        2
    '  default-server weight 5', //                                         3
    '  server a 10.0.0.1:8080 weight 3 backup cookie a maxconn 100', //     4
    '  server b [::1]:443 disabled', //                                     5
    '  server c 10.0.0.3', //                                               6
    '  server d 10.0.0.4:+1000', //                                         7
    '  server e unix@/var/run/app.sock no-check', //                        8
    '  server f app.internal:-10', //                                       9
    '  server-template web 1-3 app.local:80', //                            10
    '  server g "${ADDR}:81"', //                                           11
    '  server h ipv4@10.0.0.9:82', //                                       12
    '  server i tcp@10.0.0.10:83', //                                       13
    '  server j stream+ip@[::2]:84', //                                     14
  ];
  const m = model(cfg, { ADDR: '10.9.9.9' });
  const be = proxy(m, 'be');
  const srv = (name: string) => be.servers.find((s) => s.name === name)!;

  it('parses addresses and ports', () => {
    expect(srv('a')).toMatchObject({ host: '10.0.0.1', port: 8080, family: 'ipv4' });
    expect(srv('b')).toMatchObject({ host: '::1', port: 443, family: 'ipv6' });
    expect(srv('c')).toMatchObject({ host: '10.0.0.3', portOffset: 0 });
    expect(srv('c').port).toBeUndefined();
    expect(srv('d')).toMatchObject({ host: '10.0.0.4', portOffset: 1000 });
    expect(srv('d').port).toBeUndefined();
    expect(srv('e')).toMatchObject({ host: '/var/run/app.sock', family: 'unix' });
    expect(srv('e').port).toBeUndefined();
    expect(srv('e').portOffset).toBeUndefined();
    expect(srv('f')).toMatchObject({ host: 'app.internal', portOffset: -10 });
    expect(srv('f').family).toBeUndefined();
    expect(srv('g')).toMatchObject({ host: '10.9.9.9', port: 81 });
    expect(srv('h')).toMatchObject({ host: '10.0.0.9', port: 82, family: 'ipv4' });
    // tcp@, ip@ and stream+ name the socket type, not a family: the host decides it.
    expect(srv('i')).toMatchObject({ host: '10.0.0.10', port: 83, family: 'ipv4' });
    expect(srv('j')).toMatchObject({ host: '::2', port: 84, family: 'ipv6' });
    expect(srv('a').address?.value).toBe('10.0.0.1:8080');
  });

  it('applies parameters over default-server presets (defaults section first)', () => {
    expect(srv('a')).toMatchObject({ weight: 3, backup: true, check: true, cookie: 'a', maxconn: 100, disabled: false });
    expect(srv('b')).toMatchObject({ weight: 5, backup: false, disabled: true, check: true });
    expect(srv('e').check).toBe(false);
    expect(srv('e').options.has('check')).toBe(false);
    expect(srv('c').options.get('inter')?.map((w) => w.value)).toEqual(['3s']);
    expect(srv('c').defaultServers.map((s) => s.line.line)).toEqual([1, 3]);
    expect(be.defaultServers.map((s) => s.line.line)).toEqual([3]);
  });

  it('defaults to weight 1 without any preset', () => {
    const m2 = model(['backend x', '  server s 1.1.1.1:80', '  default-server weight 7', '  server t 1.1.1.2:80']);
    const x = proxy(m2, 'x');
    expect(x.servers[0]).toMatchObject({ weight: 1, check: false, backup: false });
    expect(x.servers[1]!.weight).toBe(7);
  });

  it('records server-template ranges and declares servers', () => {
    expect(srv('web').template).toEqual({ from: 1, to: 3 });
    expect(srv('web')).toMatchObject({ host: 'app.local', port: 80 });
    const decls = m.symbols.byName.get('server')?.get('a');
    expect(decls).toHaveLength(1);
    expect(decls![0]!.scope).toBe(be);
    expect(span(decls![0]!.range)).toEqual(where(cfg, 4, 'a'));
  });
});

describe('binds', () => {
  const cfg = [
    'frontend fe',
    '  bind :80,*:8080', //                                                    1
    '  bind 1.2.3.4:80-90', //                                                 2
    '  bind [::]:443 v6only ssl crt /etc/a.pem crt /etc/b.pem alpn h2', //     3
    '  bind ipv6@:8443', //                                                    4
    '  bind unix@/run/x.sock mode 600', //                                     5
    '  bind abns@foo', //                                                      6
    '  bind fd@3', //                                                          7
  ];
  const fe = proxy(model(cfg), 'fe');

  it('splits comma lists and reads ports', () => {
    expect(fe.binds[0]!.addresses).toMatchObject([
      { text: ':80', host: '', portStart: 80, portEnd: 80, family: 'ipv4' },
      { text: '*:8080', host: '*', portStart: 8080, portEnd: 8080 },
    ]);
    expect(span(fe.binds[0]!.addresses[1]!.range!)).toEqual(where(cfg, 1, '*:8080'));
    expect(fe.binds[1]!.addresses[0]).toMatchObject({ host: '1.2.3.4', portStart: 80, portEnd: 90 });
  });

  it('reads ipv6, ssl and repeated crt', () => {
    const b = fe.binds[2]!;
    expect(b.addresses[0]).toMatchObject({ host: '::', portStart: 443, family: 'ipv6' });
    expect(b.ssl).toBe(true);
    expect(b.certificates.map((w) => w.value)).toEqual(['/etc/a.pem', '/etc/b.pem']);
    expect(b.options.get('alpn')?.map((w) => w.value)).toEqual(['h2']);
    expect(b.options.get('v6only')).toEqual([]);
    expect(fe.binds[0]!.ssl).toBe(false);
  });

  it('reads family prefixes and socket paths', () => {
    expect(fe.binds[3]!.addresses[0]).toMatchObject({ host: '', portStart: 8443, family: 'ipv6' });
    expect(fe.binds[4]!.addresses[0]).toMatchObject({ host: '/run/x.sock', family: 'unix' });
    expect(fe.binds[4]!.addresses[0]!.portStart).toBeUndefined();
    expect(fe.binds[4]!.options.get('mode')?.[0]?.value).toBe('600');
    expect(fe.binds[5]!.addresses[0]).toMatchObject({ host: 'foo', family: 'abns' });
    expect(fe.binds[6]!.addresses[0]).toMatchObject({ host: '3', family: 'fd' });
  });
});

describe('stick tables', () => {
  it('parses type, len, size, expire, store and peers', () => {
    const m = model([
      'backend st',
      '  stick-table type string len 64 size 1m expire 30s nopurge store http_req_rate(10s),gpc0,gpc_rate(2,1m) peers mypeers',
      'backend st2',
      '  stick-table type binary size 10k store conn_cur store gpt0',
    ]);
    expect(proxy(m, 'st').stickTable).toMatchObject({
      type: 'string', keyLength: 64, size: 1024 * 1024, expireMs: 30_000, nopurge: true,
      store: ['http_req_rate(10s)', 'gpc0', 'gpc_rate(2,1m)'],
    });
    expect(proxy(m, 'st').stickTable?.peers?.value).toBe('mypeers');
    expect(proxy(m, 'st2').stickTable).toMatchObject({ type: 'binary', keyLength: 32, size: 10240, store: ['conn_cur', 'gpt0'], nopurge: false });
    expect(proxy(m, 'st2').stickTable?.expireMs).toBeUndefined();
  });
});

describe('references', () => {
  const cfg = [
    'global', //                                                                0
    '  master-worker', //                                                       1
    '  setenv BACKEND_NAME app', //                                             2
    'peers mypeers', //                                                         3
    '  peer local 127.0.0.1:10000', //                                          4
    '  table t2 type ip size 1k', //                                            5
    'userlist admins', //                                                       6
    '  group ops users alice,bob', //                                           7
    '  user alice insecure-password x groups ops', //                          8
    'http-errors errs', //                                                      9
    '  errorfile 503 /etc/haproxy/503.http', //                                 10
    'cache c1', //                                                              11
    '  total-max-size 4', //                                                    12
    'resolvers dns', //                                                         13
    '  nameserver ns1 10.0.0.53:53', //                                         14
    'mailers mx', //                                                            15
    '  mailer m1 10.0.0.25:25', //                                              16
    'ring logs', //                                                             17
    '  size 32764', //                                                          18
    'frontend fe', //                                                           19
    '  bind :443 ssl crt /etc/cert.pem', //                                     20
    '  use_backend app if is_api', //                                           21
    '  acl is_api path_beg /api', //                                            22
    '  acl is_api path_beg /v2', //                                             23
    '  use_backend app if is_api METH_GET', //                                  24
    '  use_backend be_%[req.hdr(host)]', //                                     25
    '  use_backend nosuch', //                                                  26
    '  use_backend fe', //                                                      27
    '  default_backend "${BACKEND_NAME}"', //                                   28
    '  http-request track-sc0 src table st', //                                 29
    '  http-request deny if { src_conn_cnt(st) gt 10 }', //                     30
    '  http-request track-sc1 src', //                                          31
    '  http-request auth unless { http_auth(admins) }', //                      32
    '  http-request return status 503 errorfiles errs', //                      33
    '  http-request cache-use c1', //                                           34
    '  filter cache c1', //                                                     35
    '  log ring@logs local0', //                                                36
    '  http-request set-header X %[src,map(/etc/hosts.map)]', //                37
    '  acl bad src -f /etc/bad.lst', //                                         38
    '  acl bad2 src -f /etc/bad.lst', //                                        39
    '  errorfiles errs', //                                                     40
    '  email-alert mailers mx', //                                              41
    'backend app', //                                                           42
    '  use-server s2 if { path_beg /s2 }', //                                   43
    '  server s1 10.0.0.1:80 resolvers dns ca-file /etc/ca.pem', //             44
    '  server s2 10.0.0.2:80 track app/s1', //                                  45
    '  use-server nosrv if TRUE', //                                            46
    '  use_backend app if is_api', //                                           47
    '  stick-table type ip size 1m peers mypeers', //                           48
    '  stick on src table mypeers/t2', //                                       49
    '  stick match src', //                                                     50
    '  errorfile 503 /etc/haproxy/503.http', //                                 51
    'backend st', //                                                            52
    '  stick-table type ip size 1m', //                                         53
    'listen li', //                                                             54
    '  acl x nbsrv(app) gt 0', //                                               55
    '  http-request deny if x { srv_is_up(app/s2) } { src,table_conn_cnt(st) gt 1 }', // 56
  ];
  const m = model(cfg, { BACKEND_NAME: 'app' });
  const fe = proxy(m, 'fe');
  const app = proxy(m, 'app');

  it('use_backend resolves to a backend or listen, with the exact range', () => {
    const r = refs(m, 'proxy', 'app').filter((x) => x.node.line.line === 21)[0]!;
    expect(span(r.range)).toEqual(where(cfg, 21, 'app'));
    expect(r.target?.proxy).toBe(app);
    expect(r.scope).toBe(fe);
    expect(refs(m, 'proxy', 'nosuch')[0]!.target).toBeUndefined();
    // a frontend-only proxy cannot be a backend
    expect(refs(m, 'proxy', 'fe')[0]!.target).toBeUndefined();
  });

  it('flags dynamic use_backend and gives it no target', () => {
    const dyn = m.symbols.references.filter((r) => r.dynamic);
    expect(dyn).toHaveLength(1);
    expect(dyn[0]!.name).toBe('be_%[req.hdr(host)]');
    expect(dyn[0]!.target).toBeUndefined();
    expect(span(dyn[0]!.range)).toEqual(where(cfg, 25, 'be_%[req.hdr(host)]'));
  });

  it('default_backend resolves after environment expansion, and the variable resolves to setenv', () => {
    const def = refs(m, 'proxy').find((r) => r.node.line.line === 28)!;
    expect(def.name).toBe('app');
    expect(def.target?.proxy).toBe(app);
    const env = refs(m, 'env', 'BACKEND_NAME')[0]!;
    expect(env.target?.kind).toBe('env');
    expect(span(env.target!.range)).toEqual(where(cfg, 2, 'BACKEND_NAME'));
    expect(env.range.start.line).toBe(28);
    expect(fe.defaultBackend?.line.line).toBe(28);
    expect(m.global.env.get('BACKEND_NAME')?.value).toBe('app');
    expect(m.global.masterWorker).toBe(true);
  });

  it('an ACL used before its declaration does not resolve', () => {
    const early = refs(m, 'acl', 'is_api').find((r) => r.node.line.line === 21)!;
    expect(span(early.range)).toEqual(where(cfg, 21, 'is_api'));
    expect(early.target).toBeUndefined();
  });

  it('an ACL used after its declaration resolves to all same-name lines', () => {
    const later = refs(m, 'acl', 'is_api').find((r) => r.node.line.line === 24)!;
    expect(span(later.range)).toEqual(where(cfg, 24, 'is_api'));
    expect(later.target?.range.start.line).toBe(22);
    expect(later.targets?.map((d) => d.range.start.line)).toEqual([22, 23]);
    expect(fe.acls.get('is_api')).toHaveLength(2);
    const decls = m.symbols.byName.get('acl')!.get('is_api')!;
    expect(decls).toHaveLength(2);
    expect(decls.every((d) => d.scope === fe)).toBe(true);
  });

  it('predefined ACLs have no declaration, and ACLs do not cross proxies', () => {
    const meth = refs(m, 'acl', 'METH_GET')[0]!;
    expect(meth.target).toBeUndefined();
    expect(meth.targets).toBeUndefined();
    const other = refs(m, 'acl', 'is_api').find((r) => r.node.line.line === 47)!;
    expect(other.scope).toBe(app);
    expect(other.target).toBeUndefined();
  });

  it('use-server resolves within the proxy, even before the server line', () => {
    const s2 = refs(m, 'server', 's2').find((r) => r.node.line.line === 43)!;
    expect(span(s2.range)).toEqual(where(cfg, 43, 's2'));
    expect(s2.target?.range.start.line).toBe(45);
    expect(s2.target?.scope).toBe(app);
    expect(refs(m, 'server', 'nosrv')[0]!.target).toBeUndefined();
    expect(app.useServers).toHaveLength(2);
  });

  it('track be/srv and srv_is_up(be/srv) resolve both parts', () => {
    const track = refs(m, 'server', 's1').find((r) => r.node.line.line === 45)!;
    expect(span(track.range)).toEqual(where(cfg, 45, 's1'));
    expect(track.target?.range.start.line).toBe(44);
    const be = refs(m, 'proxy', 'app').find((r) => r.node.line.line === 45)!;
    expect(span(be.range)).toEqual(where(cfg, 45, 'app'));
    const up = refs(m, 'server', 's2').find((r) => r.node.line.line === 56)!;
    expect(span(up.range)).toEqual(where(cfg, 56, 's2'));
    expect(up.target?.range.start.line).toBe(45);
    const nb = refs(m, 'proxy', 'app').find((r) => r.node.line.line === 55)!;
    expect(span(nb.range)).toEqual(where(cfg, 55, 'app'));
    expect(nb.target?.proxy).toBe(app);
  });

  it('table references resolve to the proxy holding the stick-table or a peers table', () => {
    const st = proxy(m, 'st');
    const track = refs(m, 'table', 'st').find((r) => r.node.line.line === 29)!;
    expect(span(track.range)).toEqual(where(cfg, 29, 'st'));
    expect(track.target?.proxy).toBe(st);
    const fetch = refs(m, 'table', 'st').find((r) => r.node.line.line === 30)!;
    expect(span(fetch.range)).toEqual(where(cfg, 30, 'st'));
    expect(fetch.target?.proxy).toBe(st);
    const conv = refs(m, 'table', 'st').find((r) => r.node.line.line === 56)!;
    expect(span(conv.range)).toEqual(where(cfg, 56, 'st'));
    expect(conv.target?.proxy).toBe(st);
    const peersTable = refs(m, 'table', 'mypeers/t2')[0]!;
    expect(span(peersTable.range)).toEqual(where(cfg, 49, 'mypeers/t2'));
    expect(span(peersTable.target!.range)).toEqual(where(cfg, 5, 't2'));
  });

  it('implicit tables are marked and point at the proxy’s own table when there is one', () => {
    const implicit = m.symbols.references.filter((r) => r.implicit);
    expect(implicit.map((r) => r.node.line.line)).toEqual([31, 50]);
    expect(implicit[0]!.target).toBeUndefined(); // the frontend has no stick-table
    expect(implicit[1]!.target?.proxy).toBe(app);
    expect(app.stickRules).toHaveLength(2);
  });

  it('named sections resolve: userlist, http-errors, cache, peers, resolvers, mailers, ring', () => {
    const ul = refs(m, 'userlist', 'admins')[0]!;
    expect(span(ul.range)).toEqual(where(cfg, 32, 'admins'));
    expect(span(ul.target!.range)).toEqual(where(cfg, 6, 'admins'));
    const errs = refs(m, 'http-errors', 'errs');
    expect(errs.map((r) => r.node.line.line)).toEqual([33, 40]);
    expect(errs.every((r) => r.target?.range.start.line === 9)).toBe(true);
    expect(span(errs[0]!.range)).toEqual(where(cfg, 33, 'errs'));
    const caches = refs(m, 'cache', 'c1');
    expect(caches.map((r) => r.node.line.line)).toEqual([34, 35]);
    expect(caches.every((r) => r.target?.range.start.line === 11)).toBe(true);
    expect(span(caches[1]!.range)).toEqual(where(cfg, 35, 'c1'));
    const peers = refs(m, 'peers', 'mypeers')[0]!;
    expect(span(peers.range)).toEqual(where(cfg, 48, 'mypeers'));
    expect(peers.target?.range.start.line).toBe(3);
    const dns = refs(m, 'resolvers', 'dns')[0]!;
    expect(span(dns.range)).toEqual(where(cfg, 44, 'dns'));
    expect(dns.target?.range.start.line).toBe(13);
    const mx = refs(m, 'mailers', 'mx')[0]!;
    expect(span(mx.range)).toEqual(where(cfg, 41, 'mx'));
    expect(mx.target?.range.start.line).toBe(15);
    const ring = refs(m, 'ring', 'logs')[0]!;
    expect(span(ring.range)).toEqual(where(cfg, 36, 'logs'));
    expect(ring.target?.range.start.line).toBe(17);
  });

  it('files are declared at first mention and referenced everywhere', () => {
    const lst = refs(m, 'file', '/etc/bad.lst');
    expect(lst.map((r) => r.node.line.line)).toEqual([38, 39]);
    expect(lst[0]!.target).toBe(lst[1]!.target);
    expect(span(lst[0]!.target!.range)).toEqual(where(cfg, 38, '/etc/bad.lst'));
    expect(m.symbols.byName.get('file')!.get('/etc/bad.lst')).toHaveLength(1);
    const ef = refs(m, 'file', '/etc/haproxy/503.http');
    expect(ef.map((r) => r.node.line.line)).toEqual([10, 51]);
    expect(ef[1]!.target?.range.start.line).toBe(10);
    expect(span(refs(m, 'file', '/etc/hosts.map')[0]!.range)).toEqual(where(cfg, 37, '/etc/hosts.map'));
    expect(span(refs(m, 'file', '/etc/cert.pem')[0]!.range)).toEqual(where(cfg, 20, '/etc/cert.pem'));
    expect(span(refs(m, 'file', '/etc/ca.pem')[0]!.range)).toEqual(where(cfg, 44, '/etc/ca.pem'));
  });

  it('declares named sections, users and groups, and links their lists', () => {
    expect([...m.namedSections.keys()].sort()).toEqual(['cache', 'http-errors', 'mailers', 'peers', 'resolvers', 'ring', 'userlist']);
    expect(m.namedSections.get('userlist')![0]!.name?.value).toBe('admins');
    const bob = refs(m, 'user', 'bob')[0]!;
    expect(span(bob.range)).toEqual(where(cfg, 7, 'bob'));
    expect(bob.target).toBeUndefined();
    const alice = refs(m, 'user', 'alice')[0]!;
    expect(span(alice.range)).toEqual(where(cfg, 7, 'alice'));
    expect(alice.target?.range.start.line).toBe(8);
    const ops = refs(m, 'group', 'ops')[0]!;
    expect(span(ops.range)).toEqual(where(cfg, 8, 'ops'));
    expect(ops.target?.range.start.line).toBe(7);
    expect(m.symbols.byName.get('table')!.get('st')![0]!.proxy).toBe(proxy(m, 'st'));
  });

  it('env references without setenv have no target', () => {
    const m2 = model(['backend b', '  server s "${HOST}:80"', 'global', '  setenv HOST x'], { HOST: 'h' });
    const r = refs(m2, 'env', 'HOST')[0]!;
    expect(r.range.start.line).toBe(1);
    expect(r.target).toBeUndefined();
  });
});

describe('ACLs of named defaults', () => {
  const cfg = [
    'defaults web', //                         0
    '  mode http', //                          1
    '  acl is_static path_beg /static', //     2
    'defaults top from web', //                3
    '  acl is_img path_end .png', //           4
    'backend b from top', //                   5
    '  http-request deny if is_static', //     6
    '  http-request deny if is_img', //        7
    '  acl is_img path_end .jpg', //           8
    '  http-request deny if is_img', //        9
    'backend c', //                            10
    '  http-request deny if is_img', //        11
  ];
  const m = model(cfg);

  // haproxy -c 2.6: a proxy (or a named defaults) using an ACL of the defaults it inherits from
  // gets "no such ACL"; ACLs are not inherited, so those references have no declaration.
  it('do not resolve through the defaults chain', () => {
    const st = refs(m, 'acl', 'is_static')[0]!;
    expect(span(st.range)).toEqual(where(cfg, 6, 'is_static'));
    expect(st.target).toBeUndefined();
    const img = refs(m, 'acl', 'is_img').find((r) => r.node.line.line === 7)!;
    expect(img.target).toBeUndefined();
  });

  it('the proxy’s own earlier ACL resolves', () => {
    const img = refs(m, 'acl', 'is_img').find((r) => r.node.line.line === 9)!;
    expect(img.target?.scope).toBe(proxy(m, 'b'));
    expect(img.target?.range.start.line).toBe(8);
  });

  it('the last defaults (named) is inherited without from, but not its ACLs', () => {
    const img = refs(m, 'acl', 'is_img').find((r) => r.node.line.line === 11)!;
    expect(proxy(m, 'c').defaults).toBe(proxy(m, 'top'));
    expect(img.target).toBeUndefined();
  });

  it('a named defaults resolves its own ACLs', () => {
    const m2 = model(['defaults d', '  mode http', '  acl a path /a', '  http-request deny if a']);
    expect(refs(m2, 'acl', 'a')[0]!.target?.scope).toBe(proxy(m2, 'd'));
  });

  it('keeps rules per rule set', () => {
    expect(proxy(m, 'b').rules.get('http-request')?.map((r) => r.line.line)).toEqual([6, 7, 9]);
  });
});

describe('robustness', () => {
  it('never throws on statements with missing or odd arguments', () => {
    const m = model([
      'global', '  setenv', '  master-worker',
      'peers', '  table',
      'userlist', '  user', '  group g users',
      'defaults', '  mode', '  timeout', '  timeout client', '  option', '  no option', '  balance', '  default-server',
      'frontend', '  bind', '  bind :abc', '  bind [::1', '  use_backend', '  default_backend', '  stick-table',
      '  stick-table type', '  log', '  filter', '  email-alert mailers', '  http-request track-sc0', '  acl',
      '  acl x', '  http-request deny if', '  errorfiles',
      'backend b', '  server', '  server x', '  server y :', '  server z 1.2.3.4:99999999999 weight', '  server-template',
      '  server-template w x y', '  use-server', '  stick on', '  timeout client 5x', '  mode nonsense',
    ]);
    const b = proxy(m, 'b');
    expect(b.servers.map((s) => s.name)).toEqual(['x', 'y', 'z', 'w']);
    expect(b.servers[0]!.address).toBeUndefined();
    expect(b.servers[0]!.host).toBeUndefined();
    expect(b.servers[1]!.port).toBeUndefined();
    expect(b.servers[3]!.template).toBeUndefined();
    expect(b.timeouts.has('client')).toBe(false);
    expect(b.mode).toBe('tcp');
    expect(m.proxies).toHaveLength(2);
  });

  it('models a large config with every backend reference resolved', () => {
    const lines: string[] = ['defaults', '  mode http', '  timeout client 5s'];
    for (let i = 0; i < 10_000; i++) {
      lines.push(
        `backend be${i}`, '  acl a path_beg /a', '  acl a path_beg /b', '  http-request deny if a', `  server s${i} 10.0.${i % 256}.1:80 check weight 2`,
        '  use-server x if a', `frontend fe${i}`, '  bind :80', `  use_backend be${i} if { path_beg /x }`, `  default_backend be${(i + 1) % 10_000}`,
      );
    }
    const file = parseConfig(lines.join('\n') + '\n', 'big.cfg', { env: defaultEnvironment({}) }).file;
    const m = buildModel([file]);
    expect(m.proxies).toHaveLength(20_000);
    expect(refs(m, 'proxy').every((r) => r.target !== undefined)).toBe(true);
  });
});
