// Runs wrk and reads its report: requests per second and the 99th-percentile latency.
import { spawn } from 'node:child_process';

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency url` → { rps, p99Ms, errors }. */
export function wrk(url, { connections = 50, seconds = 5 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p99 = /\n\s+99%\s+(\S+)/.exec(out)?.[1];
      const errs = /Socket errors: (.*)/.exec(out)?.[1];
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(rps)) reject(new Error(`could not read wrk's report:\n${out}`));
      else resolve({ rps, p99Ms: p99 ? toMs(p99) : NaN, errors: errs ?? '', non2xx });
    });
  });
}
