// The simulator never throws on user text. Property tests with fast-check: config-like texts
// built from the examples and HAProxy's reg-test corpus (read at test time), mutated at random
// (words deleted or duplicated, random fetches, converters and arguments, odd quoting, `%[`
// fragments, unknown actions), go through checkSources + compilePipeline + run() of random
// requests; compile problems are reported, never thrown. Then the CLI on broken configs and odd
// arguments exits 0/1/2 without a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkSources } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { compilePipeline, converterNames, fetchNames, renderJson, renderText, SimInputError, type SimRequest } from '../../packages/sim/src/index.js';
import { runSim } from '../../packages/sim/src/cli/sim-command.js';

const plain = new Chalk({ level: 0 });

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpusDir = join(root, '../shared/corpus/haproxy-2.6-reg-tests');
const SEED = Number(process.env.HAPLO_FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.HAPLO_FUZZ_RUNS ?? 250);

function cfgLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

const exampleLines = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.cfg'))
  .flatMap((f) => cfgLines(readFileSync(join(root, 'examples', f), 'utf8')));
const corpusLines = existsSync(corpusDir)
  ? readdirSync(corpusDir).filter((f) => f.endsWith('.cfg')).flatMap((f) => cfgLines(readFileSync(join(corpusDir, f), 'utf8')))
  : [];
const SECTION = /^(global|defaults|frontend|backend|listen|userlist|peers|resolvers|http-errors|cache|program|ring|mailers)\b/;
const bodyLines = [...exampleLines, ...corpusLines].filter((l) => !SECTION.test(l.trim())).map((l) => l.trim());

const fetches = fetchNames();
const converters = converterNames();
const ODD = ['', ' ', '"', "'", '\\', '%[', '%[src', '%[]', ']', '%{', '}', '(', ')', ',', '{', '}', '!', '||', '-m', '-f', '-i', '--', '${X}', '"a b"', "'%[hdr(x)]'", '\\x00', '\u00e9', '\u0000', '-1', '99999999999999999999', '0x', '::', '1'.repeat(400), 'NaN', 'Infinity', '1e999', '1.2.3.4/33', '/\u2028/', '*', '[', '(?', '\\1', '%', 'if', 'unless'];
const ACTIONS = ['set-map', 'del-map', 'add-acl', 'del-acl', 'set-header', 'replace-header', 'replace-value', 'set-var(txn.x)', 'set-var(bad)', 'unset-var(req.y)', 'track-sc0', 'track-sc9', 'sc-inc-gpc0(5)', 'sc-inc-gpc(1,0)', 'return', 'redirect', 'deny', 'tarpit', 'auth', 'set-status', 'set-path', 'set-query', 'set-uri', 'set-method', 'capture', 'frobnicate', 'use-service', 'do-resolve(txn.ip,r)', 'set-log-level', 'normalize-uri'];

const word = fc.oneof(
  fc.constantFrom(...ODD),
  fc.constantFrom(...fetches),
  fc.string({ maxLength: 8 }),
  fc.tuple(fc.constantFrom(...fetches), fc.array(fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 5 }), fc.integer().map(String)), { maxLength: 3 }))
    .map(([f, a]) => a.length ? `${f}(${a.join(',')})` : f),
  fc.tuple(fc.constantFrom(...fetches), fc.array(fc.tuple(fc.constantFrom(...converters), fc.array(fc.oneof(fc.constantFrom(...ODD), fc.integer().map(String), fc.string({ maxLength: 4 })), { maxLength: 3 })), { minLength: 1, maxLength: 3 }))
    .map(([f, cs]) => f + cs.map(([c, a]) => `,${c}${a.length ? `(${a.join(',')})` : ''}`).join('')),
);
const expr = fc.tuple(fc.boolean(), word).map(([wrap, w]) => (wrap ? `%[${w}]` : w));

const ruleHead = fc.constantFrom('http-request', 'http-response', 'http-after-response', 'tcp-request content', 'tcp-request connection', 'tcp-request session', 'tcp-response content', 'acl a1', 'acl a2', 'use_backend', 'use-server s1', 'stick on', 'stick match', 'stick store-request', 'balance', 'hash-type', 'redirect', 'stick-table type', 'errorfile 503', 'http-check', 'option', 'cookie', 'server s9 127.0.0.1:1');
const synthetic = fc.tuple(ruleHead, fc.constantFrom(...ACTIONS), fc.array(fc.oneof(word, expr), { maxLength: 5 }), fc.option(fc.tuple(fc.constantFrom('if', 'unless'), fc.array(fc.oneof(word, fc.constantFrom('a1', 'a2', '!a1', '{', '}', '||', 'TRUE', 'METH_GET')), { maxLength: 5 }))))
  .map(([h, a, args, cond]) => [h, a, ...args, ...(cond ? [cond[0], ...cond[1]] : [])].join(' '));

// Well-formed rules around random expressions, so compilation and evaluation see them.
const MATCH = ['', '-m str', '-m beg', '-m sub', '-m reg', '-m int', '-m ip', '-m found', '-m len', '-m bool', '-i', '-m dom', '-m end', '-m dir', '-m bin'];
const shaped = fc.tuple(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), word, fc.constantFrom(...MATCH), fc.array(fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 6 }), fc.integer().map(String)), { maxLength: 3 }))
  .map(([k, w, m, pats]) => [
    `http-request set-header x %[${w}]`,
    `http-request set-var(txn.v) ${w}`,
    `acl a1 ${w} ${m} ${pats.join(' ')}`,
    `http-request deny if { ${w} ${m} ${pats.join(' ')} }`,
    `http-response set-header y %[${w}] if { ${w} ${m} ${pats.join(' ')} }`,
    `use_backend be if { ${w} ${m} ${pats.join(' ')} }`,
    `http-request return status 200 content-type text/plain lf-string "%[${w}]"`,
    // Map and pattern file edits, and their readers (files in FILES below).
    `http-request set-map(/f.map) %[${w}] ${pats[0] ?? '%[src]'}`,
    `http-request ${m.includes('i') ? 'del-map(/f.map)' : 'del-acl(/f.lst)'} %[${w}]`,
    `http-request add-acl(/f.lst) %[${w}]`,
    `http-request set-header z %[${w},map_${['str', 'beg', 'sub', 'reg', 'ip', 'int', 'dom', 'end', 'dir'][pats.length % 9]}(/f.map,${pats[1] ?? 'd'})]`,
    `http-request deny if { ${w} ${m} -f /f.lst ${pats.join(' ')} }`,
  ][k]!);
const FILES: Record<string, string> = { '/f.map': 'a b\n10.0.0.0/8 1\n/x y\n', '/f.lst': 'x\n/\n1\n' };

type Mutation = (ws: string[]) => string[];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i): Mutation => (ws) => ws.filter((_, j) => j !== i % Math.max(ws.length, 1))),
  fc.nat().map((i): Mutation => (ws) => ws.flatMap((w, j) => (j === i % Math.max(ws.length, 1) ? [w, w] : [w]))),
  fc.tuple(fc.nat(), fc.oneof(word, expr)).map(([i, w]): Mutation => (ws) => ws.map((x, j) => (j === i % Math.max(ws.length, 1) ? w : x))),
  fc.tuple(fc.nat(), fc.oneof(word, expr)).map(([i, w]): Mutation => (ws) => { const c = [...ws]; c.splice(i % (ws.length + 1), 0, w); return c; }),
  fc.tuple(fc.nat(), fc.constantFrom('"', "'", '\\', '%[', ']', '#')).map(([i, q]): Mutation => (ws) => ws.map((x, j) => (j === i % Math.max(ws.length, 1) ? x + q : x))),
);

const line = fc.oneof(
  { weight: 4, arbitrary: bodyLines.length ? fc.constantFrom(...bodyLines) : synthetic },
  { weight: 3, arbitrary: synthetic },
  { weight: 4, arbitrary: shaped },
  { weight: 3, arbitrary: fc.tuple(bodyLines.length ? fc.constantFrom(...bodyLines) : synthetic, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([l, ms]) => ms.reduce((ws, m) => m(ws), l.split(/\s+/)).join(' ')) },
);

// Half the configs hold only well-shaped rules, so most of them load without errors.
const configText = fc.oneof(
  fc.tuple(fc.constantFrom('http', 'tcp'), fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 3 }), fc.boolean()),
  fc.tuple(fc.constant('http'), fc.array(shaped, { maxLength: 4 }), fc.array(shaped, { maxLength: 4 }), fc.constant([] as string[]), fc.boolean()),
).map(([mode, fe, be, dflt, listen]) => [
  'defaults', `    mode ${mode}`, '    timeout connect 1s', '    timeout client 1s', '    timeout server 1s', ...dflt.map((l) => '    ' + l),
  listen ? 'listen fe' : 'frontend fe', '    bind 127.0.0.1:8080', ...fe.map((l) => '    ' + l), ...(listen ? [] : ['    default_backend be', 'backend be']),
  ...be.map((l) => '    ' + l), '    server s1 127.0.0.1:9001', '    server s2 127.0.0.1:9002 weight 0', '',
].join('\n'));

const oddText = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '%', '%zz', '%00', '\r\n', '\u0000', '../..', '?', '#', ';', ',', '"', '\u00e9', '\ud800', 'a=b&c', '%[src]', '9223372036854775808', '1'.repeat(400), '-' + '9'.repeat(330), '1e999', 'NaN', 'Infinity'));
const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('', 'nonsense', '::ffff:1.2.3.4', '1.2.3.4:', '[::1]:80', '[::1', '1.2.3.4:99999', 'a:b:c', '0.0.0.0'));
const request: fc.Arbitrary<SimRequest> = fc.record({
  method: fc.option(fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH', 'get', ''), oddText), { nil: undefined }),
  uri: fc.option(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.tuple(fc.constantFrom('/', '/a/', '*', 'http://', 'https://x', '/163yun'), oddText).map(([a, b]) => a + b)), { nil: undefined }),
  headers: fc.option(fc.array(fc.tuple(fc.oneof(fc.constantFrom('x', 'host', 'Host', 'cookie', 'x-forwarded-for', 'authorization', 'content-length', 'netease', 'server-1', 'connection', ''), oddText), oddText), { maxLength: 5 }), { nil: undefined }),
  body: fc.option(oddText, { nil: undefined }),
  src: fc.option(ip, { nil: undefined }),
  tls: fc.option(fc.boolean(), { nil: undefined }),
  sni: fc.option(oddText, { nil: undefined }),
}, { requiredKeys: [] });

const stats: { errors: number; problems: number; rules: number }[] = [];
let edits = 0;
function simulateAll(text: string, requests: SimRequest[], status: number): void {
  const checked = checkSources([{ path: 'fuzz.cfg', text }], { readFile: (f) => FILES[f], fileExists: (f) => f in FILES });
  const p = compilePipeline(checked.model, { readFile: (f) => FILES[f] });
  expect(Array.isArray(p.problems)).toBe(true);
  if (process.env.HAPLO_FUZZ_DEBUG) stats.push({ errors: checked.diagnostics.filter((d) => d.severity === 'error').length, problems: p.problems.length, rules: p.proxies.reduce((n, x) => n + x.httpRequest.rules.length, 0) });
  const rt = p.createRuntime();
  for (const [i, r] of requests.entries()) {
    try {
      const res = p.run(r, rt, { status, headers: [['set-cookie', 'SRV=s1'], ['x-odd', '%[']] }, { trace: i % 2 === 0 });
      expect(['forward', 'deny', 'tarpit', 'redirect', 'return', 'reject', 'error']).toContain(res.outcome);
      // run() turns an unexpected exception into an `error` outcome; none may reach it.
      expect(res.trace.filter((e) => e.type === 'note' && e.text.startsWith('internal error')).map((e) => e.type === 'note' && e.text)).toEqual([]);
      expect(res.outcome === 'error' && res.status === null).toBe(false);
      if (process.env.HAPLO_FUZZ_DEBUG) edits += res.trace.filter((e) => e.type === 'rule' && e.change?.startsWith('/f.')).length;
      // What the CLI prints of it.
      expect(typeof renderText(res, plain)).toBe('string');
      expect(() => JSON.parse(renderJson(res))).not.toThrow();
    } catch (e) {
      // A request that names no frontend of this config is the caller's mistake, reported as such.
      if (!(e instanceof SimInputError)) throw e;
    }
  }
}

describe('the simulator never throws on user text', () => {
  it('has lines to mutate', () => {
    expect(exampleLines.length).toBeGreaterThan(20);
    if (!corpusLines.length) console.warn(`properties.test: ${corpusDir} is absent; fuzzing examples/ and synthetic lines only`);
  });

  it('checkSources + compilePipeline + run() on mutated configs and odd requests', () => {
    const started = Date.now();
    fc.assert(
      fc.property(configText, fc.array(request, { minLength: 1, maxLength: 4 }), fc.integer({ min: 100, max: 599 }), (text, reqs, status) => {
        if (Date.now() - started > 12_000) return; // bound the run; the seed keeps it reproducible
        simulateAll(text, reqs, status);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (process.env.HAPLO_FUZZ_DEBUG) console.log(stats.length, stats.filter((x) => x.errors === 0).length, stats.filter((x) => x.problems).length, stats.reduce((n, x) => n + x.rules, 0), 'file edits run:', edits);
  });
});

// ---- the CLI path
const tmp = mkdtempSync(join(tmpdir(), 'haplo-sim-props-'));
const haplo = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/haplo.js'), ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const cfg = (name: string, lines: string[]) => {
  const path = join(tmp, name);
  writeFileSync(path, ['defaults', '    mode http', '    timeout connect 1s', '    timeout client 1s', '    timeout server 1s', ...lines, ''].join('\n'));
  return path;
};

describe('haplo sim never crashes', () => {
  it('in process: random flags and values on the configs below exit 0/1/2 without throwing', () => {
    const flag = fc.oneof(
      fc.tuple(fc.constantFrom('-X', '--method', '-H', '--header', '--src', '--dst', '--frontend', '--sni', '--data', '--response-status', '--response-header', '--env', '--requests'),
        fc.oneof(oddText, ip, fc.constantFrom('x: y', ':', 'a:b', '200', '99', 'fe', 'bad.json', 'notarray.json', 'ok.cfg'))),
      fc.constantFrom(['--tls'], ['--json'], ['-h'], ['--bogus'], ['-'], ['--']),
    ).map((x) => (Array.isArray(x) ? [...x] : x));
    const names = Object.keys(configs) as (keyof typeof configs)[];
    fc.assert(fc.property(fc.constantFrom(...names), fc.array(flag, { maxLength: 5 }), fc.option(oddText, { nil: undefined }), (name, flags, target) => {
      const out: string[] = [];
      const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), cwd: tmp, env: {}, color: plain };
      const code = runSim([configs[name], ...flags.flat(), ...(target === undefined ? [] : [target])], io);
      expect([0, 1, 2]).toContain(code);
    }), { seed: SEED, numRuns: 150 });
  });

  const configs = {
    ok: cfg('ok.cfg', ['frontend fe', '    bind 127.0.0.1:8080', '    http-request set-header x %[req.hdr(host),lower,map(/nope.map,none)]', '    default_backend be', 'backend be', '    server s1 127.0.0.1:9001']),
    broken: cfg('broken.cfg', ['frontend fe', '    bind 127.0.0.1:8080', '    http-request set-header "x %[src', '    use_backend %[req.hdr(host),frob()]', '    default_backend nowhere']),
    nofe: cfg('nofe.cfg', ['backend be', '    server s1 127.0.0.1:9001']),
    two: cfg('two.cfg', ['frontend a', '    bind :1', '    default_backend be', 'frontend b', '    bind :2', '    default_backend be', 'backend be', '    server s1 127.0.0.1:9001']),
    empty: cfg('empty.cfg', []),
  };
  writeFileSync(join(tmp, 'bad.json'), '[{"path": 5, "headers": {"a": null}}, null, 7, {"headers": [["x"]]}]');
  writeFileSync(join(tmp, 'notarray.json'), '{"path": "/"}');
  const cases: string[][] = [
    ['sim', configs.ok, '--json', '/'],
    ['sim', configs.ok, '--json', '--src', 'nonsense', '/%zz?%[src]'],
    ['sim', configs.ok, '--json', '--src', '[::1', '--dst', '1.2.3.4:99999', '/'],
    ['sim', configs.ok, '--json', '--dst', 'garbage', '/'],
    ['sim', configs.ok, '--json', '-H', ': x', '/'],
    ['sim', configs.ok, '--json', '-H', 'x:', '-X', '', '--data', '\u0001', 'http://'],
    ['sim', configs.ok, '--json', '--response-status', 'abc', '/'],
    ['sim', configs.ok, '--json', '--frontend', 'nope', '/'],
    ['sim', configs.ok, '--json', '--requests', 'bad.json'],
    ['sim', configs.ok, '--json', '--requests', 'notarray.json'],
    ['sim', configs.ok, '--json', '--requests', 'missing.json'],
    ['sim', configs.ok, '--json', '--env', 'missing.env', '/'],
    ['sim', configs.ok, '--json', '--bogus', '/'],
    ['sim', configs.broken, '--json', '/'],
    ['sim', configs.nofe, '--json', '/'],
    ['sim', configs.two, '--json', '/'],
    ['sim', configs.empty, '--json', '/'],
    ['sim', join(tmp, 'missing.cfg'), '--json', '/'],
    ['sim', tmp, '--json', '/'],
    ['sim'],
    ['sim', '--json'],
  ];
  it.each(cases.map((c) => [c.slice(1).join(' ').replace(tmp, '$TMP'), c] as const))('%s', (_, args) => {
    const r = haplo(...args);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+/);
    if (r.code === 0) expect(() => JSON.parse(r.out)).not.toThrow();
  });
});

// The crashes the properties found, as plain regressions (minimal inputs).
describe('crashes found by the properties', () => {
  const run = (line: string, request: SimRequest = {}) => {
    const text = ['defaults', '    mode http', 'frontend fe', '    bind 127.0.0.1:8080', `    ${line}`, '    default_backend be', 'backend be', '    server s1 127.0.0.1:9001', ''].join('\n');
    const p = compilePipeline(checkSources([{ path: 't.cfg', text }]).model);
    return { problems: p.problems.map((x) => x.message), result: p.run(request, p.createRuntime()) };
  };
  it('word()/field() with a non-numeric index are refused at compile time, not run', () => {
    const r = run('http-request set-header x %[path,word(a,/)]', { uri: '/a/b' });
    expect(r.problems.join()).toMatch(/word.*invalid arguments/);
    expect(r.result.outcome).toBe('forward');
    expect(r.result.request?.headers).toContainEqual(['x', '']);
  });
  it('digest() with an unknown algorithm is refused at compile time', () => {
    const r = run('http-request set-header x %[src,digest(0),hex]');
    expect(r.problems.join()).toMatch(/unsupported digest '0'/);
    expect(r.result.outcome).toBe('forward');
  });
  it('a header value of 400 digits saturates to int64 instead of breaking integer converters', () => {
    const big = '1'.repeat(400);
    const r = run('http-request set-header x %[req.hdr(n),add(1)]', { headers: [['n', big]] });
    expect(r.result.outcome).toBe('forward');
    expect(r.result.request?.headers.find(([n]) => n === 'x')?.[1]).toMatch(/^-?\d+$/);
    expect(run(`http-request set-header x %[req.hdr(n),mul(${big})]`, { headers: [['n', '2']] }).result.outcome).toBe('forward');
  });
});

describe('haplo test never crashes on a malformed cases file', () => {
  const ok = join(tmp, 'ok.cfg');
  it.each([
    ['null request', '{"cases": [{"name": "a", "requests": [null]}]}'],
    ['number headers', '{"cases": [{"name": "a", "request": {"headers": 5}}]}'],
    ['path not a string', '{"cases": [{"name": "a", "request": {"path": ["/"]}}]}'],
  ])('%s', (name, json) => {
    const file = join(tmp, `${name.replace(/\W/g, '-')}.json`);
    writeFileSync(file, json);
    const r = haplo('test', ok, file);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

// Every fetch and converter the simulator knows, with odd arguments, in every rule position that
// evaluates it, on requests with odd contents: compiled and run without an exception (the run()
// guard would show one as an `internal error` note).
describe('every fetch and converter with odd arguments', () => {
  const ARGS = [[], [''], ['-1'], ['abc'], ['1'.repeat(400)], ['x', 'y'], ['txn.v'], ['(']];
  const call = (name: string, a: string[]) => (a.length ? `${name}(${a.join(',')})` : name);
  const requests: SimRequest[] = [
    { uri: '/a/b?x=1&y=%zz', headers: [['host', 'h'], ['x', '9'.repeat(400)], ['cookie', 'a=b; c'], ['authorization', 'Basic !!!'], ['content-type', 'application/json']], body: '{"a":1}', src: '::1' },
    { uri: '*', method: 'CONNECT', src: '10.0.0.1:1', headers: [['x', '-' + '9'.repeat(400)]] },
  ];
  const sweep = (exprs: string[]) => () => {
    const internal: string[] = [];
    for (const e of exprs) {
      const text = ['defaults', '    mode http', 'frontend fe', '    bind :80', '    stick-table type ip size 1k store gpc0,http_req_rate(1s)', '    http-request track-sc0 src',
        `    http-request set-var(txn.v) ${e}`, `    http-request set-header x %[${e}]`, `    http-request deny if { ${e} -m found }`, `    http-response set-header y %[${e}]`,
        '    default_backend be', 'backend be', '    server s1 127.0.0.1:1', ''].join('\n');
      const p = compilePipeline(checkSources([{ path: 't.cfg', text }]).model, { readFile: () => undefined });
      const rt = p.createRuntime();
      for (const r of requests) {
        for (const ev of p.run(r, rt, { status: 200, headers: [['x', '1']] }).trace) if (ev.type === 'note' && ev.text.startsWith('internal error')) internal.push(`${e}: ${ev.text}`);
      }
    }
    expect(internal).toEqual([]);
  };
  it('fetches', sweep(fetches.flatMap((f) => ARGS.map((a) => call(f, a)))));
  it('converters', sweep(converters.flatMap((c) => ARGS.flatMap((a) => [`req.hdr(x),${call(c, a)}`, `src,${call(c, a)}`]))));
});

describe('run() as the last line of defence', () => {
  it('turns an unexpected exception into an error outcome with a trace note', () => {
    const text = ['defaults', '    mode http', 'frontend fe', '    bind :80', '    default_backend be', 'backend be', '    server s1 127.0.0.1:1', ''].join('\n');
    const p = compilePipeline(checkSources([{ path: 't.cfg', text }]).model);
    const rt = p.createRuntime();
    rt.countRequest = () => { throw new Error('boom'); };
    const r = p.run({ uri: '/' }, rt);
    expect(r).toMatchObject({ frontend: 'fe', outcome: 'error', status: null, request: null, response: null });
    expect(r.trace[0]).toEqual({ type: 'note', text: 'internal error in the simulator: boom' });
    expect(renderText(r, plain)).toContain('internal error in the simulator: boom');
    expect(() => p.run({ uri: '/', frontend: 'nope' }, rt)).toThrow(SimInputError);
  });
});
