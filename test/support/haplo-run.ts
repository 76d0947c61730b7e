// Starting `haplo run` as a child process on a config text, for end-to-end tests: waits until
// every listed port accepts, collects stderr for failure messages, and is always killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));

export interface RunningHaplo {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Everything written to stdout so far (the `listening` lines). */
  stdout(): string;
  /** The configuration file it runs (rewrite it, then SIGHUP, to reload). */
  configFile: string;
  stop(): Promise<void>;
}

export async function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, host);
    s.on('connect', () => { s.destroy(); res(true); });
    s.on('error', () => res(false));
  });
}

export async function waitForPorts(ports: readonly number[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (const port of ports) {
    while (!(await portOpen(port))) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  return true;
}

/** `haplo run -f <config>` listening on `ports` (throws with its stderr when it does not start). */
export async function startHaploRun(config: string, ports: readonly number[], extraArgs: string[] = []): Promise<RunningHaplo> {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-run-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn(process.execPath, [HAPLO, 'run', '-f', file, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitForPorts(ports, 8000))) {
    await stop();
    throw new Error(`haplo run did not listen on ${ports.join(', ')}:\n${err}`);
  }
  return { child, stderr: () => err, stdout: () => out, configFile: file, stop };
}
