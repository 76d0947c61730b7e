// `npm run bench`: runs every benchmark in bench/ (each a plain Node script) one after another.
//   npm run bench -- check     only the benchmarks whose file name contains "check"
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Files in bench/ that support benchmarks rather than being one. */
const HELPERS = new Set(['run.js', 'generate-config.js']);

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.js') && !HELPERS.has(name) && name.includes(filter))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`▶ ${name}`);
  const { status } = spawnSync(process.execPath, [`${dir}${name}`], { stdio: 'inherit' });
  if (status !== 0) {
    failed++;
    console.error(`✖ ${name} exited with ${status}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
