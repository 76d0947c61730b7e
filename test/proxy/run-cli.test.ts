// The `haplo run` command as a user runs it (the built CLI, spawned): help, misuse, a config with
// errors refused before any socket opens, `-c`, several `-f`, the ready lines, and SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, oneRequest, startHttpOrigin, type HttpOrigin } from './run-harness.js';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));
let dir: string;
let origin: HttpOrigin;
const children: ChildProcess[] = [];

function haplo(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HAPLO, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Starts `haplo run` and resolves once it printed `lines` listening lines. */
function startRun(args: string[], lines: number): Promise<{ child: ChildProcess; stdout: () => string; stderr: () => string }> {
  const child = spawn(process.execPath, [HAPLO, 'run', ...args], { cwd: dir });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${out}${err}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if ((out.match(/listening on/g) ?? []).length >= lines) {
        clearTimeout(timer);
        resolve({ child, stdout: () => out, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}${err}`));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'haplo-run-cli-'));
  origin = await startHttpOrigin('cli');
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await origin?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('haplo run (command line)', () => {
  it('prints its help with --help', () => {
    const r = haplo('run', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: haplo run -f CONFIG');
  });

  it('exits 2 without a configuration or with an unknown flag', () => {
    expect(haplo('run').status).toBe(2);
    const r = haplo('run', '-f', 'x.cfg', '--frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('frobnicate');
  });

  it('exits 2 when a file cannot be read', () => {
    const r = haplo('run', '-f', 'missing.cfg');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read 'missing.cfg'");
  });

  it('refuses a configuration with errors, printing file:line:col, code and message', () => {
    write('bad.cfg', 'frontend fe\n  bind 127.0.0.1:1\n  frobnicate yes\n');
    const r = haplo('run', '-f', 'bad.cfg');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^bad\.cfg:3:3: error\[[A-Z0-9]+\]: .+/m);
    expect(r.stderr).toContain('not starting');
  });

  it('only checks with -c', () => {
    write('ok.cfg', `defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\nfrontend fe\n  bind 127.0.0.1:1\n  default_backend be\nbackend be\n  server s 127.0.0.1:2\n`);
    const r = haplo('run', '-c', '-f', 'ok.cfg');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Configuration file is valid');
  });

  it('serves several -f files together, prints one line per listener, and stops on SIGTERM', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    write('a.cfg', `defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 1s\nfrontend fe\n  bind 127.0.0.1:${p1},127.0.0.1:${p2}\n  default_backend be\n`);
    write('b.cfg', `backend be\n  http-response set-header X-Via haplo\n  server s 127.0.0.1:${origin.port}\n`);
    const run = await startRun(['-f', 'a.cfg', '-f', 'b.cfg'], 2);
    expect(run.stdout()).toContain(`listening on 127.0.0.1:${p1} (frontend fe)`);
    expect(run.stdout()).toContain(`listening on 127.0.0.1:${p2} (frontend fe)`);
    const { response, client } = await oneRequest(p2, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(200);
    expect(response.headers).toContainEqual(['x-via', 'haplo']);
    const exited = new Promise<number | null>((r) => run.child.on('exit', (code) => r(code)));
    run.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 1 when a bind address is in use', async () => {
    const port = await freePort();
    write('one.cfg', `defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 1s\nfrontend fe\n  bind 127.0.0.1:${port}\n  default_backend be\nbackend be\n  server s 127.0.0.1:${origin.port}\n`);
    const run = await startRun(['-f', 'one.cfg'], 1);
    const r = haplo('run', '-f', 'one.cfg');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('address already in use');
    run.child.kill('SIGINT');
  });
});
