// Benchmark: `mode tcp` on loopback, haplo against HAProxy 2.6 (`nbthread 1`) in one run:
// bulk throughput (1 GiB pushed through the proxy into a sink that answers when it has it all)
// and new connections per second (connect, one byte echoed, close; 50 at a time).
// Goal (issue 5): bulk at 1.0× HAProxy. HAProxy and haplo are measured in alternating rounds and
// the medians compared, because this 2-core machine (the client runs here, the sink and echo in
// their own processes) drifts between runs; the proxy's CPU time per GiB is printed beside.
//   node bench/proxy-tcp.js [seconds=3] [rounds=3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, hasBinary, startHaplo, startHaproxy, startNode, stop, stopAll, waitForPort } from './proxy/processes.js';

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);
const BULK_BYTES = 1024 ** 3;
const CONCURRENCY = 50;
const PORT = { sink: 14101, echo: 14102, haproxy: 14110, haplo: 14111 };
const outDir = fileURLToPath(new URL('./out/', import.meta.url));

const config = (port, extraGlobal = '') => `global
    maxconn 4000${extraGlobal}
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend bulk
    bind 127.0.0.1:${port}
    default_backend sink
frontend conns
    bind 127.0.0.1:${port + 100}
    default_backend echo
backend sink
    server sink 127.0.0.1:${PORT.sink}
backend echo
    server echo 127.0.0.1:${PORT.echo}
`;

/** Seconds to push BULK_BYTES through `port` and hear the sink's answer. */
function bulk(port) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    const started = process.hrtime.bigint();
    const s = connect({ host: '127.0.0.1', port }, pump);
    function pump() {
      while (sent < BULK_BYTES) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    }
    s.on('data', () => {});
    s.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e9));
    s.on('error', reject);
  });
}

/** Completed connect-echo-close cycles per second through `port`. */
async function connectionsPerSecond(port) {
  let done = 0;
  let failed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const loop = async () => {
    while (Date.now() < deadline) {
      const ok = await new Promise((resolve) => {
        const s = connect({ host: '127.0.0.1', port }, () => s.write('x'));
        s.once('data', () => { s.end(); resolve(true); });
        s.on('error', () => resolve(false));
        s.on('close', () => resolve(false));
      });
      if (ok) done++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return { rate: done / SECONDS, failed };
}

async function measure(label, start, port) {
  const child = start();
  try {
    await waitForPort(port);
    await bulk(port); // warm-up
    const cpuBefore = cpuSeconds(child.pid);
    const seconds = await bulk(port);
    const cpuPerGiB = (cpuSeconds(child.pid) - cpuBefore) / (BULK_BYTES / 1024 ** 3);
    const mbps = BULK_BYTES / 1024 ** 2 / seconds;
    await connectionsPerSecond(port + 100); // warm-up
    const conns = await connectionsPerSecond(port + 100);
    console.log(`  ${label.padEnd(8)} bulk ${mbps.toFixed(0).padStart(6)} MiB/s (CPU ${cpuPerGiB.toFixed(2)} s/GiB)   new connections ${conns.rate.toFixed(0).padStart(6)}/s${conns.failed ? ` (${conns.failed} failed)` : ''}`);
    return { mbps, cpuPerGiB, connectionsPerSecond: conns.rate };
  } catch (e) {
    console.log(`  ${label.padEnd(8)} failed: ${e.message}\n${child.stderrText?.() ?? ''}`);
    return undefined;
  } finally {
    await stop(child);
  }
}

/** Per-field medians of a peer's rounds (undefined when any round failed). */
function medianOf(runs) {
  if (runs.some((r) => !r)) return undefined;
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1];
  return { mbps: median('mbps'), cpuPerGiB: median('cpuPerGiB'), connectionsPerSecond: median('connectionsPerSecond'), rounds: runs };
}

async function main() {
  if (!hasBinary('haproxy')) {
    console.log('proxy-tcp: skipped — needs `haproxy` (apt-get install -y haproxy)');
    return;
  }
  const sink = startNode('tcp-peers.js', ['sink', PORT.sink]);
  const echo = startNode('tcp-peers.js', ['echo', PORT.echo]);
  await waitForPort(PORT.sink);
  await waitForPort(PORT.echo);
  console.log(`TCP mode: ${BULK_BYTES / 1024 ** 3} GiB bulk, connections for ${SECONDS} s, ${CONCURRENCY} at a time, ${ROUNDS} alternating rounds:`);
  const rounds = { haproxy: [], haplo: [] };
  for (let i = 0; i < ROUNDS; i++) {
    rounds.haproxy.push(await measure('haproxy', () => startHaproxy(config(PORT.haproxy, '\n    nbthread 1')), PORT.haproxy));
    rounds.haplo.push(await measure('haplo', () => startHaplo(config(PORT.haplo)), PORT.haplo));
  }
  const haproxy = medianOf(rounds.haproxy);
  const haplo = medianOf(rounds.haplo);
  await stop(sink);
  await stop(echo);
  if (haproxy && haplo) {
    console.log(`Medians: haproxy bulk ${haproxy.mbps.toFixed(0)} MiB/s, ${haproxy.connectionsPerSecond.toFixed(0)} conns/s; haplo bulk ${haplo.mbps.toFixed(0)} MiB/s, ${haplo.connectionsPerSecond.toFixed(0)} conns/s`);
    console.log(`Ratios to HAProxy: bulk ${(haplo.mbps / haproxy.mbps).toFixed(2)}× (goal ≥ 1.0), new connections ${(haplo.connectionsPerSecond / haproxy.connectionsPerSecond).toFixed(2)}×`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}proxy-tcp.json`, JSON.stringify({ haproxy, haplo }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(stopAll);
