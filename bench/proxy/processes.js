// Starting and stopping the processes a proxy benchmark compares: HAProxy, `haplo run`, and
// plain Node scripts. Every listener is on 127.0.0.1; every child is killed when the run ends.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set();
const dirs = new Set();

export function hasBinary(name, args = ['-v']) {
  const r = spawnSync(name, args, { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 || (r.status !== null && r.error === undefined && name === 'wrk');
}

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-bench-'));
  dirs.add(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Resolves once something accepts connections on 127.0.0.1:port (bounded). */
export async function waitForPort(port, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function track(child, label) {
  children.add(child);
  let err = '';
  child.stderr?.on('data', (d) => { if (err.length < 4000) err += d; });
  child.on('exit', () => children.delete(child));
  child.label = label;
  child.stderrText = () => err;
  return child;
}

/** HAProxy in the foreground on a config text. */
export function startHaproxy(configText, label = 'haproxy') {
  const path = tempFile('haproxy.cfg', configText);
  return track(spawn('haproxy', ['-db', '-f', path], { stdio: ['ignore', 'ignore', 'pipe'] }), label);
}

/** `haplo run -f` on a config text. */
export function startHaplo(configText) {
  const path = tempFile('haplo.cfg', configText);
  return track(spawn(process.execPath, [join(root, 'bin/haplo.js'), 'run', '-f', path], { stdio: ['ignore', 'ignore', 'pipe'] }), 'haplo');
}

/** A Node script from bench/proxy with arguments. */
export function startNode(script, args) {
  return track(spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args.map(String)], { stdio: ['ignore', 'ignore', 'pipe'] }), script);
}

export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(t);
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc, 100 ticks/s). */
export function cpuSeconds(pid) {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function stopAll() {
  await Promise.all([...children].map(stop));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const c of children) c.kill('SIGKILL'); process.exit(1); });
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
