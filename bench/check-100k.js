// Benchmark: `haplo check` against `haproxy -c` on the same generated 100,000-line configuration,
// each timed as a whole process (start-up included), median of 5 runs after 1 warm-up.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateConfig } from './generate-config.js';

const LINES = 100_000;
const RUNS = 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url));
const file = `${outDir}check-100k.cfg`;

mkdirSync(outDir, { recursive: true });
writeFileSync(file, generateConfig(LINES));

/** Runs a command RUNS+1 times (the first is a warm-up) and returns the median and last result. */
function timeProcess(command, args) {
  const times = [];
  let result;
  for (let i = 0; i <= RUNS; i++) {
    const start = process.hrtime.bigint();
    result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error) throw result.error;
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], result };
}

function hasHaproxy() {
  return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

const haplo = timeProcess(process.execPath, ['bin/haplo.js', 'check', '--format', 'json', file]);
let findings;
try {
  findings = JSON.parse(haplo.result.stdout).length;
} catch {
  // Without a report the timing measures a crash, not a check: say so instead of a ratio.
  console.error(`haplo check did not produce a JSON report (exit ${haplo.result.status}):\n${haplo.result.stderr}`);
  process.exit(1);
}

const rows = [['haplo check --format json', haplo.median, `exit ${haplo.result.status}, ${findings} diagnostics`]];
let ratio = 'n/a (haproxy not installed)';
if (hasHaproxy()) {
  const haproxy = timeProcess('haproxy', ['-c', '-f', file]);
  rows.push(['haproxy -c', haproxy.median, `exit ${haproxy.result.status}`]);
  ratio = `${(haplo.median / haproxy.median).toFixed(2)}×`;
} else {
  console.log('haproxy is not installed: skipping the haproxy -c side (apt-get install haproxy).');
}

console.log(`\ncheck-100k: ${LINES.toLocaleString('en')}-line config, median of ${RUNS} runs after 1 warm-up (whole processes)\n`);
console.log(`  ${'command'.padEnd(28)}${'median'.padStart(10)}   result`);
for (const [name, ms, note] of rows) console.log(`  ${name.padEnd(28)}${`${ms.toFixed(0)} ms`.padStart(10)}   ${note}`);
console.log(`\n  ratio haplo / haproxy: ${ratio}\n`);
