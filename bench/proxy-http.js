// Benchmark: HTTP/1.1 reverse proxying on loopback, measured with wrk in one run against peers:
// HAProxy 2.6 (`nbthread 1`), a plain Node `http` proxy and the `http-proxy` package, all on the
// same routing (path ACL → two round-robin servers, one header set) and the same fast origin
// (HAProxy answering with `http-request return`). Then the resident memory of `haplo run` and of
// HAProxy holding 10,000 idle keep-alive connections. Goals (issue 5): haplo ≥ 0.6× HAProxy's
// requests/s, p99 ≤ 2× HAProxy's, RSS < 90 MB with 10,000 idle connections.
// HAProxy and haplo are measured in alternating rounds (the median of each is reported) because
// this 2-core machine drifts between runs; each measure also reports the proxy's CPU time per
// request (user + system), which explains the ratio better than one throughput figure.
//   node bench/proxy-http.js [seconds=5] [rounds=3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, hasBinary, rssMb, startHaplo, startHaproxy, startNode, stop, stopAll, waitForPort } from './proxy/processes.js';
import { wrk } from './proxy/wrk.js';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONNECTIONS = 50;
const IDLE = 10_000;
const PORT = { origin1: 14001, origin2: 14002, haproxy: 14010, haplo: 14011, node: 14012, httpProxy: 14013 };
const outDir = fileURLToPath(new URL('./out/', import.meta.url));

const originConfig = `global
    nbthread 1
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend o1
    bind 127.0.0.1:${PORT.origin1}
    http-request return status 200 content-type text/plain string "hello from origin 1"
frontend o2
    bind 127.0.0.1:${PORT.origin2}
    http-request return status 200 content-type text/plain string "hello from origin 2"
`;

/** The routing config both HAProxy and haplo serve. */
const routing = (port) => `global
    maxconn 20000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
frontend fe
    bind 127.0.0.1:${port}
    acl is_api path_beg /api/
    http-request set-header X-Bench proxied
    use_backend api if is_api
    default_backend web
backend api
    balance roundrobin
    server s1 127.0.0.1:${PORT.origin1}
    server s2 127.0.0.1:${PORT.origin2}
backend web
    server w1 127.0.0.1:${PORT.origin1}
`;

// HAProxy needs two descriptors per connection and this machine allows 20,000: maxconn 9,900.
const haproxyRouting = (port) => routing(port).replace('global\n    maxconn 20000\n', 'global\n    nbthread 1\n    maxconn 9900\n');

async function measure(label, start, port) {
  const child = start();
  try {
    await waitForPort(port);
    const url = `http://127.0.0.1:${port}/api/items?id=7`;
    await wrk(url, { connections: CONNECTIONS, seconds: 2 }); // warm-up (JIT, pools)
    const cpuBefore = cpuSeconds(child.pid);
    const r = await wrk(url, { connections: CONNECTIONS, seconds: SECONDS });
    const cpuUsPerRequest = ((cpuSeconds(child.pid) - cpuBefore) * 1e6) / (r.rps * SECONDS);
    console.log(`  ${label.padEnd(12)} ${r.rps.toFixed(0).padStart(8)} req/s   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   CPU ${cpuUsPerRequest.toFixed(1).padStart(5)} µs/request${r.non2xx ? `   non-2xx ${r.non2xx}` : ''}${r.errors ? `   socket errors: ${r.errors}` : ''}`);
    return { ...r, cpuUsPerRequest };
  } catch (e) {
    console.log(`  ${label.padEnd(12)} failed: ${e.message}\n${child.stderrText?.() ?? ''}`);
    return undefined;
  } finally {
    await stop(child);
  }
}

/** Opens `n` keep-alive connections, one request each, and leaves them idle. */
async function openIdle(port, n) {
  const sockets = [];
  const one = () => new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('GET /api/idle HTTP/1.1\r\nHost: bench\r\n\r\n'));
    const t = setTimeout(() => resolve(false), 5000);
    s.once('data', () => { clearTimeout(t); resolve(true); });
    s.on('error', () => { clearTimeout(t); resolve(false); });
    sockets.push(s);
  });
  let ok = 0;
  for (let i = 0; i < n; i += 500) {
    const batch = await Promise.all(Array.from({ length: Math.min(500, n - i) }, one));
    ok += batch.filter(Boolean).length;
  }
  return { sockets, ok };
}

async function idleRss(label, start, port) {
  const child = start();
  try {
    await waitForPort(port);
    const before = rssMb(child.pid);
    const { sockets, ok } = await openIdle(port, IDLE);
    await new Promise((r) => setTimeout(r, 1000));
    const rss = rssMb(child.pid);
    for (const s of sockets) s.destroy();
    console.log(`  ${label.padEnd(12)} ${rss.toFixed(1).padStart(7)} MB with ${ok} idle keep-alive connections (${before.toFixed(1)} MB before)`);
    return { rss, ok };
  } finally {
    await stop(child);
  }
}

/** Per-field medians of a peer's rounds (undefined when any round failed). */
function medianOf(runs) {
  if (runs.some((r) => !r)) return undefined;
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1];
  return { rps: median('rps'), p99Ms: median('p99Ms'), cpuUsPerRequest: median('cpuUsPerRequest'), rounds: runs };
}

async function main() {
  if (!hasBinary('haproxy') || !hasBinary('wrk')) {
    console.log('proxy-http: skipped — needs `haproxy` and `wrk` (apt-get install -y haproxy wrk)');
    return;
  }
  const origin = startHaproxy(originConfig, 'origin');
  await waitForPort(PORT.origin1);
  await waitForPort(PORT.origin2);
  console.log(`HTTP proxying, ${CONNECTIONS} connections, ${SECONDS} s each (wrk -t1), one peer at a time:`);
  const rounds = { haproxy: [], haplo: [] };
  for (let i = 0; i < ROUNDS; i++) {
    rounds.haproxy.push(await measure('haproxy', () => startHaproxy(haproxyRouting(PORT.haproxy)), PORT.haproxy));
    rounds.haplo.push(await measure('haplo', () => startHaplo(routing(PORT.haplo)), PORT.haplo));
  }
  const results = {
    haproxy: medianOf(rounds.haproxy),
    haplo: medianOf(rounds.haplo),
    node: await measure('node http', () => startNode('node-http-proxy.js', [PORT.node, PORT.origin1, PORT.origin2]), PORT.node),
    httpProxy: await measure('http-proxy', () => startNode('http-proxy-peer.js', [PORT.httpProxy, PORT.origin1, PORT.origin2]), PORT.httpProxy),
  };
  console.log(`Memory with ${IDLE} idle keep-alive connections:`);
  const memory = {
    haplo: await idleRss('haplo', () => startHaplo(routing(PORT.haplo)), PORT.haplo).catch((e) => console.log(`  haplo failed: ${e.message}`)),
    haproxy: await idleRss('haproxy', () => startHaproxy(haproxyRouting(PORT.haproxy)), PORT.haproxy).catch((e) => console.log(`  haproxy failed: ${e.message}`)),
  };
  await stop(origin);
  const h = results.haproxy;
  if (h) {
    const ratio = (r) => (r ? (r.rps / h.rps).toFixed(2) : 'n/a');
    console.log(`Medians of ${ROUNDS} alternating rounds: haproxy ${h.rps.toFixed(0)} req/s p99 ${h.p99Ms.toFixed(2)} ms; haplo ${results.haplo ? `${results.haplo.rps.toFixed(0)} req/s p99 ${results.haplo.p99Ms.toFixed(2)} ms` : 'n/a'}`);
    console.log('Ratios to HAProxy (requests/s):');
    console.log(`  haplo ${ratio(results.haplo)} (goal ≥ 0.60)   node http ${ratio(results.node)}   http-proxy ${ratio(results.httpProxy)}`);
    if (results.haplo) console.log(`  p99: haplo ${(results.haplo.p99Ms / h.p99Ms).toFixed(2)}× HAProxy's (goal ≤ 2.0)`);
  }
  if (memory.haplo) console.log(`  RSS: haplo ${memory.haplo.rss.toFixed(1)} MB with ${IDLE} idle connections (goal < 90 MB)`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}proxy-http.json`, JSON.stringify({ results, memory }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(stopAll);
