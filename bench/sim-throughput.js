// Benchmark: simulated requests per second, one core, through the compiled pipeline
// (`compilePipeline(model).run(request, runtime, reply)`), on (a) the bundled example
// examples/design-note-fixed.cfg and (b) a generated config with 1,000 ACL rules. Each uses one
// shared Runtime (so stickiness and round-robin state carry across requests) and a rotating set
// of requests; warm-up first, then a bounded timed run, twice: with the full trace (what
// `haplo sim` prints) and without (`run(…, { trace: false })`, what a proxy needs). Goal: over
// 100,000 requests/s on (a).
//   node bench/sim-throughput.js [seconds=3]
// Runs after `tsc -b` (npm run bench): it imports the built packages.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSources } from '../packages/parser/dist/index.js';
import { compilePipeline } from '../packages/sim/dist/index.js';

const SECONDS = Number(process.argv[2] ?? 3);
const WARMUP_MS = 1000;
const GOAL = 100_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url));

/** Parses and compiles a config once; parser errors or compile problems stop the benchmark. */
function compile(path, text) {
  const checked = checkSources([{ path, text }], { readFile: () => undefined, fileExists: () => false });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${path}: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n')}`);
  const pipeline = compilePipeline(checked.model);
  if (pipeline.problems.length) throw new Error(`${path}: ${pipeline.problems.map((p) => p.message).join('\n')}`);
  return pipeline;
}

/** The example's rotation: with/without `netease`, /163yun and other paths, `server-1` sometimes, 8 sources. */
function exampleRequests() {
  const paths = ['/163yun/index.html', '/163yun/api/v1/items?id=7', '/', '/static/app.js', '/163yun', '/login?next=%2F163yun'];
  const out = [];
  for (let i = 0; i < 48; i++) {
    const headers = [['host', 'www.example.com'], ['user-agent', 'bench/1.0'], ['accept', '*/*']];
    if (i % 5 !== 0) headers.push(['netease', '1']);
    if (i % 7 === 3) headers.push(['server-1', 'yes']);
    out.push({ method: i % 11 === 0 ? 'POST' : 'GET', uri: paths[i % paths.length], headers, src: `192.0.2.${(i % 8) + 1}:${40000 + i}` });
  }
  return out;
}

/** A config with 1,000 ACLs over path, host, headers and source, and 1,000 rules using them. */
function manyAclConfig(n = 1000) {
  const lines = ['defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', '',
    'frontend fe', '    bind 127.0.0.1:48090'];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: lines.push(`    acl a${i} path_beg /p${i}/`); break;
      case 1: lines.push(`    acl a${i} hdr(host) -i h${i}.example.com`); break;
      case 2: lines.push(`    acl a${i} req.hdr(x-k${i % 50}) -m str v${i}`); break;
      default: lines.push(`    acl a${i} src 10.${(i >> 8) & 255}.${i & 255}.0/24`); break;
    }
  }
  for (let i = 0; i < n; i++) {
    switch (i % 3) {
      case 0: lines.push(`    http-request set-header X-R${i % 20} r${i} if a${i}`); break;
      case 1: lines.push(`    http-request deny deny_status 403 if a${i} { method DELETE }`); break;
      default: lines.push(`    use_backend b${i % 10} if a${i}`); break;
    }
  }
  lines.push('    default_backend b0', '');
  for (let b = 0; b < 10; b++) {
    lines.push(`backend b${b}`, '    balance roundrobin', `    server s1 127.0.0.1:${49000 + b * 2}`, `    server s2 127.0.0.1:${49001 + b * 2}`, '');
  }
  return lines.join('\n');
}

function manyAclRequests() {
  const out = [];
  for (let i = 0; i < 40; i++) {
    const headers = [['host', i % 4 === 1 ? `h${(i * 37) % 1000 | 1}.example.com` : 'www.example.com'], ['user-agent', 'bench/1.0']];
    if (i % 3 === 0) headers.push([`x-k${(i * 2 + 2) % 50}`, `v${(i * 50 + 2) % 1000}`]);
    out.push({
      method: i % 9 === 0 ? 'DELETE' : 'GET',
      uri: i % 2 === 0 ? `/p${(i * 100) % 1000}/item?x=${i}` : `/other/${i}`,
      headers,
      src: i % 4 === 3 ? `10.${(i * 13) >> 8 & 255}.${(i * 13) & 255}.9` : `192.0.2.${i % 16}`,
    });
  }
  return out;
}

/** Runs the rotation until `ms` elapses; returns requests and elapsed milliseconds. */
function drive(pipeline, runtime, requests, ms, options) {
  const reply = { status: 200, headers: [['content-type', 'text/html']] };
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let n = 0;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < 256; k++) pipeline.run(requests[(n + k) % requests.length], runtime, reply, options);
    n += 256;
    now = process.hrtime.bigint();
  }
  return { n, ms: Number(now - start) / 1e6 };
}

/** Requests per second for one config, traced and untraced, each on its own Runtime. */
function measure(name, pipeline, requests) {
  // A quick look at what the rotation does, so the figure measures real work.
  const outcomes = {};
  const probe = pipeline.createRuntime();
  for (const r of requests) {
    const res = pipeline.run(r, probe);
    const key = `${res.outcome}${res.backend ? `→${res.backend}` : ''}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  console.log(`  ${name}: rotation of ${requests.length} requests (${Object.entries(outcomes).map(([k, v]) => `${k}×${v}`).join(', ')})`);
  const rates = {};
  for (const [label, options] of [['no trace', { trace: false }], ['full trace', undefined]]) {
    const runtime = pipeline.createRuntime();
    drive(pipeline, runtime, requests, WARMUP_MS, options);
    const { n, ms } = drive(pipeline, runtime, requests, SECONDS * 1000, options);
    rates[label] = (n / ms) * 1000;
    console.log(`    ${label.padEnd(12)}${Math.round(rates[label]).toLocaleString('en').padStart(12)} req/s   (${n.toLocaleString('en')} in ${(ms / 1000).toFixed(2)} s)`);
  }
  return rates;
}

mkdirSync(outDir, { recursive: true });
const examplePath = 'examples/design-note-fixed.cfg';
const example = compile(examplePath, readFileSync(`${root}${examplePath}`, 'utf8'));
const manyText = manyAclConfig();
writeFileSync(`${outDir}sim-1000-acls.cfg`, manyText);
const many = compile('bench/out/sim-1000-acls.cfg', manyText);

console.log(`\nsim-throughput: pipeline.run on one core, ${WARMUP_MS / 1000} s warm-up then ${SECONDS} s each\n`);
const rates = measure('(a) examples/design-note-fixed.cfg', example, exampleRequests());
measure('(b) generated: 1,000 ACLs, 1,000 rules', many, manyAclRequests());
const best = rates['no trace'];
console.log(`\n  goal: > ${GOAL.toLocaleString('en')} req/s on the example (no trace) — ${best > GOAL ? 'met' : 'NOT met'}\n`);
