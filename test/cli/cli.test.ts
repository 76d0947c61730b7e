// The `haplo` command from the outside: real processes, real files, exit codes and output.
// Needs the build (`npm test` runs `tsc -b` first), since bin/haplo.js loads packages/*/dist.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { FORCE_COLOR: _force, HAPLO_TEST_FLAG: _flag, ...baseEnv } = process.env;

function haplo(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/haplo.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...baseEnv, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

let dir: string;
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'haplo-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('haplo', () => {
  it('prints help naming check and fmt, and exits 0', () => {
    const { status, stdout } = haplo('--help');
    expect(status).toBe(0);
    expect(stdout).toContain('check');
    expect(stdout).toContain('fmt');
  });

  it('rejects an unknown subcommand with exit 2', () => {
    const { status, stderr } = haplo('frobnicate');
    expect(status).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('refuses haplo run without a configuration, with exit 2 and what to pass', () => {
    const { status, stderr } = haplo('run');
    expect(status).toBe(2);
    expect(stderr).toContain('no configuration file (-f CONFIG)');
  });

  it('shows a command’s help through haplo help <cmd>', () => {
    const { status, stdout } = haplo('help', 'check');
    expect(status).toBe(0);
    expect(stdout).toContain('--format');
  });
});

describe('haplo check', () => {
  it('fails with exit 2 and a clear message when a file does not exist', () => {
    const { status, stderr } = haplo('check', 'no-such-dir/missing.cfg');
    expect(status).toBe(2);
    expect(stderr).toContain("haplo check: cannot read 'no-such-dir/missing.cfg': no such file");
  });

  it('treats misuse (no files, unknown flag) as exit 2 with usage on stderr', () => {
    expect(haplo('check').status).toBe(2);
    const { status, stderr } = haplo('check', '--bogus', 'examples/haproxy.cfg');
    expect(status).toBe(2);
    expect(stderr).toContain('Usage: haplo check');
  });

  it('passes the bundled example with exit 0', () => {
    const { status, stdout } = haplo('check', 'examples/haproxy.cfg');
    expect(status).toBe(0);
    expect(stdout).toMatch(/in 1 file\n$/);
  });

  it('reports an unknown keyword as one JSON array with 1-based positions', () => {
    const path = file('unknown-keyword.cfg', 'frontend fe\n    bnd :80\n');
    const { status, stdout } = haplo('check', '--format', 'json', path);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as JsonDiagnostic[];
    expect(Array.isArray(report)).toBe(true);
    const found = report.find((d) => d.line === 2 && d.column === 5);
    expect(found).toMatchObject({ file: path, line: 2, column: 5, severity: 'error' });
    expect(typeof found?.code).toBe('string');
    expect(found?.message).toContain('bnd');
    expect(found?.endLine).toBe(2);
    expect(found?.endColumn).toBe(8);
  });

  it('prints file:line:col, the source line and carets in text mode', () => {
    const path = file('text-mode.cfg', 'frontend fe\n    bnd :80\n');
    const { status, stdout } = haplo('check', path);
    expect(status).toBe(1);
    expect(stdout).toContain(`${path}:2:5: error[`);
    expect(stdout).toContain('    bnd :80\n');
    expect(stdout).toMatch(/\| {5}\^~~\n/);
    expect(stdout).toMatch(/1 error, \d+ warnings? in 1 file\n$/);
  });

  it('exits 0 on warnings, and 2 on warnings with --strict', () => {
    const example = readFileSync(join(root, 'examples/haproxy.cfg'), 'utf8');
    const path = file('warning-only.cfg', `.warning "remember to rotate the certificates"\n${example}`);
    const plain = haplo('check', '--format', 'json', path);
    const report = JSON.parse(plain.stdout) as JsonDiagnostic[];
    expect(report.some((d) => d.severity === 'warning')).toBe(true);
    expect(report.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plain.status).toBe(0);
    expect(haplo('check', '--strict', path).status).toBe(2);
  });

  it('exits 1 on errors whether or not --strict is given', () => {
    const path = file('strict-error.cfg', 'frontend fe\n    bnd :80\n');
    expect(haplo('check', '--strict', path).status).toBe(1);
  });

  it('loads a directory’s .cfg files in alphabetical order and nothing else', () => {
    const sub = join(dir, 'conf.d');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'b.cfg'), 'frontend fb\n    bnd :81\n');
    writeFileSync(join(sub, 'a.cfg'), 'frontend fa\n    bnd :80\n');
    writeFileSync(join(sub, 'notes.txt'), 'not a config\n');
    const report = JSON.parse(haplo('check', '--format', 'json', sub).stdout) as JsonDiagnostic[];
    const files = [...new Set(report.map((d) => d.file))];
    expect(files).toEqual([join(sub, 'a.cfg'), join(sub, 'b.cfg')]);
  });

  it('takes .if variables from --env FILE instead of the process environment', () => {
    const path = file('env.cfg', 'frontend fe\n.if defined(HAPLO_TEST_FLAG)\n    bnd :80\n.endif\n');
    const env = file('test.env', '# variables for the test\nHAPLO_TEST_FLAG=1\n');
    const without = JSON.parse(haplo('check', '--format', 'json', path).stdout) as JsonDiagnostic[];
    const withEnv = JSON.parse(haplo('check', '--format', 'json', '--env', env, path).stdout) as JsonDiagnostic[];
    expect(without.some((d) => d.severity === 'error' && d.line === 3)).toBe(false);
    expect(withEnv.some((d) => d.severity === 'error' && d.line === 3)).toBe(true);
  });
});

describe('haplo fmt', () => {
  it('exits 1 with --check and names a file that would change, then 0 once written', () => {
    const path = file('messy.cfg', 'global\nmaxconn 100   \n\nfrontend fe\nbind :80\n      mode    http\n');
    const check = haplo('fmt', '--check', path);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(path);
    expect(haplo('fmt', '--write', path).status).toBe(0);
    expect(haplo('fmt', '--check', path).status).toBe(0);
  });

  it('prints the formatted text of one file, which --check then accepts', () => {
    const printed = haplo('fmt', 'examples/haproxy.cfg');
    expect(printed.status).toBe(0);
    const path = file('formatted.cfg', printed.stdout);
    expect(haplo('fmt', '--check', path).status).toBe(0);
  });

  it('fails with exit 2 on a missing file', () => {
    const { status, stderr } = haplo('fmt', 'missing.cfg');
    expect(status).toBe(2);
    expect(stderr).toContain("cannot read 'missing.cfg': no such file");
  });
});
