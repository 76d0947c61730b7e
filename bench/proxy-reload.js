// Benchmark: requests lost to configuration reloads under load, haplo vs HAProxy 2.6, in one run.
// wrk (-t1, 50 keep-alive connections) goes through each proxy for SECONDS while its
// configuration is reloaded RELOADS times: `haplo run` with SIGHUP, HAProxy in master-worker mode
// (`haproxy -W -db -f cfg`) with SIGUSR2 to the master. Both proxy to the same fast origin
// (HAProxy answering with `http-request return`). Prints requests and failures (socket errors +
// non-2xx) for each. Loopback only; every process is killed at the end.
//   node bench/proxy-reload.js [seconds=6] [reloads=5]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasBinary, startHaproxy, stopAll, tempFile, waitForPort } from './proxy/processes.js';

const SECONDS = Number(process.argv[2] ?? 6);
const RELOADS = Number(process.argv[3] ?? 5);
const CONNECTIONS = 50;
const PORT = { origin: 15501, haproxy: 15510, haplo: 15511 };
const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const own = new Set();

const originConfig = `global
    nbthread 1
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend origin
    bind 127.0.0.1:${PORT.origin}
    http-request return status 200 content-type text/plain string "hello"
`;

/** The proxy configuration, generation `gen` (only the header it sets changes). */
const proxyConfig = (port, gen) => `global
    nbthread 1
    maxconn 2000
    hard-stop-after 10s
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
frontend fe
    bind 127.0.0.1:${port}
    http-request set-header X-Gen ${gen}
    default_backend be
backend be
    server o1 127.0.0.1:${PORT.origin}
`;

function spawnOwned(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { if (err.length < 8000) err += d; });
  child.stderrText = () => err;
  own.add(child);
  child.on('exit', () => own.delete(child));
  return child;
}

function wrk(url) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    own.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', () => {
      own.delete(child);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
      const e = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socket = e ? { connect: +e[1], read: +e[2], write: +e[3], timeout: +e[4] } : { connect: 0, read: 0, write: 0, timeout: 0 };
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(requests)) reject(new Error(`could not read wrk's report:\n${out}`));
      else resolve({ requests, socket, non2xx, failures: socket.connect + socket.read + socket.write + socket.timeout + non2xx });
    });
  });
}

/** wrk through the proxy while `reload(gen)` runs RELOADS times, evenly spread over the run. */
async function measure(label, port, file, reload) {
  await waitForPort(port);
  const load = wrk(`http://127.0.0.1:${port}/`);
  const gap = (SECONDS * 1000 * 0.8) / (RELOADS + 1);
  for (let gen = 2; gen <= RELOADS + 1; gen++) {
    await sleep(gap);
    writeFileSync(file, proxyConfig(port, gen));
    reload();
  }
  const r = await load;
  const s = r.socket;
  console.log(`  ${label.padEnd(8)} ${String(r.requests).padStart(8)} requests   ${String(r.failures).padStart(4)} failed` +
    `   (connect ${s.connect}, read ${s.read}, write ${s.write}, timeout ${s.timeout}, non-2xx ${r.non2xx})`);
  return r;
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(t);
}

async function main() {
  if (!hasBinary('haproxy') || !hasBinary('wrk')) {
    console.log('proxy-reload: skipped — needs `haproxy` and `wrk` (apt-get install -y haproxy wrk)');
    return;
  }
  const origin = startHaproxy(originConfig, 'origin');
  await waitForPort(PORT.origin);
  console.log(`Reloads under load: wrk -t1 -c${CONNECTIONS} for ${SECONDS} s, ${RELOADS} reloads each:`);

  const haploFile = tempFile('haplo.cfg', proxyConfig(PORT.haplo, 1));
  const haplo = spawnOwned(process.execPath, [join(root, 'bin/haplo.js'), 'run', '-f', haploFile]);
  const haploResult = await measure('haplo', PORT.haplo, haploFile, () => haplo.kill('SIGHUP')).catch((e) => console.log(`  haplo failed: ${e.message}\n${haplo.stderrText()}`));
  const reloaded = (haplo.stderrText().match(/reloaded configuration/g) ?? []).length;
  await stopChild(haplo);

  const haproxyFile = tempFile('haproxy.cfg', proxyConfig(PORT.haproxy, 1));
  const master = spawnOwned('haproxy', ['-W', '-db', '-f', haproxyFile]);
  const haproxyResult = await measure('haproxy', PORT.haproxy, haproxyFile, () => master.kill('SIGUSR2')).catch((e) => console.log(`  haproxy failed: ${e.message}\n${master.stderrText()}`));
  await stopChild(master);
  await stopChild(origin);

  if (haploResult) console.log(`  haplo reported ${reloaded} of ${RELOADS} reloads done`);
  if (haploResult && haproxyResult) {
    const rate = (r) => ((r.failures / Math.max(r.requests, 1)) * 1e5).toFixed(1);
    console.log(`Failures per 100,000 requests: haplo ${rate(haploResult)}, haproxy ${rate(haproxyResult)} (goal: haplo 0)`);
  }
}

async function cleanup() {
  for (const c of own) c.kill('SIGKILL');
  await stopAll();
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const c of own) c.kill('SIGKILL'); process.exit(1); });
process.on('exit', () => { for (const c of own) c.kill('SIGKILL'); });
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(cleanup);
