// Running the real HAProxy 2.6 (`haproxy -c`) as an oracle, and reading what it says.
// The output format is described in shared/reference/haproxy-2.6.md §8: every message opens
// with `[LEVEL]    (PID) : ` and most config ones go on with `config : parsing [FILE:LINE] : `
// (spacing and capitalisation vary); some carry no file:line at all.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';

export interface HaproxyMessage {
  /** The file HAProxy names, as it printed it (the name passed with `-f`). */
  file?: string;
  /** 1-based line HAProxy names, when it names one. */
  line?: number;
  /** The message, without the level/pid/`config :`/`parsing [f:l] :` prefixes; continuation lines joined with `\n`. */
  message: string;
}

export interface HaproxyCheck {
  /** 0 valid, 1 errors, 2 valid but no listener; null when killed by the timeout. */
  exitCode: number | null;
  alerts: HaproxyMessage[];
  warnings: HaproxyMessage[];
  /** stdout + stderr as printed. */
  raw: string;
}

export interface RunOptions {
  /** Pass `-dr` (ignore server address resolution failures), as the corpus README does. Default false, like the probes. */
  dr?: boolean;
  /** Milliseconds before the process is killed. Default 10 000. */
  timeoutMs?: number;
}

/** A config given as text (written to a temporary directory) or as a path to an existing file. */
export type ConfigInput = string | { path: string; text: string };

let haproxyPresent: boolean | undefined;

/** Whether an `haproxy` binary answers on PATH. */
export function hasHaproxy(): boolean {
  if (haproxyPresent === undefined) {
    const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8', timeout: 5000 });
    haproxyPresent = r.status === 0 && /HAProxy version/i.test(r.stdout ?? '');
  }
  return haproxyPresent;
}

/** Lines that close a run and say nothing about one place in the config. */
const SUMMARY = [
  /^Error\(s\) found in configuration file/,
  /^Fatal errors found in configuration/,
  /^Configuration file is valid/,
  /^Warnings were found/,
  /^Configuration file has no error but will not start/,
];

const LEVEL_LINE = /^\[(ALERT|WARNING|NOTICE|DIAG)\]\s*\(\d+\)\s*:\s*(.*)$/;
const PLACE = /^\[([^\]]+?):(\d+)\]\s*:?\s*/;
const PARSING_PLACE = /^[Pp]arsing \[([^\]]+?):(\d+)\]\s*:?\s*/;

/**
 * Reads `haproxy -c` output (stdout and stderr together) into alerts and warnings.
 * NOTICE/DIAG messages and the closing summary lines are dropped; lines that do not open
 * with a `[LEVEL]` continue the message before them (the `^` caret excerpts, `   | ` notes).
 */
export function parseHaproxyOutput(raw: string): { alerts: HaproxyMessage[]; warnings: HaproxyMessage[] } {
  const alerts: HaproxyMessage[] = [];
  const warnings: HaproxyMessage[] = [];
  let current: HaproxyMessage | undefined;
  for (const line of raw.split(/\r?\n/)) {
    const m = LEVEL_LINE.exec(line);
    if (!m) {
      if (current && line.trim() !== '' && !SUMMARY.some((re) => re.test(line))) current.message += '\n' + line;
      continue;
    }
    current = undefined;
    const level = m[1]!;
    let body = m[2]!;
    if (level !== 'ALERT' && level !== 'WARNING') continue;
    body = body.replace(/^config\s*:\s*/, '');
    if (SUMMARY.some((re) => re.test(body))) continue;
    const msg: HaproxyMessage = { message: body };
    // `[f:l] : parsing [f:l] : msg`, `[f:l] : 'server px/s' : msg`, `parsing [f:l]: msg`, `Parsing [f:l]: msg`.
    let p = PLACE.exec(body);
    if (p) {
      msg.file = p[1]!;
      msg.line = Number(p[2]);
      body = body.slice(p[0].length);
    }
    p = PARSING_PLACE.exec(body);
    if (p) {
      msg.file ??= p[1]!;
      msg.line ??= Number(p[2]);
      body = body.slice(p[0].length);
    }
    msg.message = body;
    current = msg;
    (level === 'ALERT' ? alerts : warnings).push(msg);
  }
  return { alerts, warnings };
}

/** A clean environment for haproxy: PATH only, plus the given variables (so nothing leaks from the test runner). */
function haproxyEnv(env: Record<string, string> | undefined): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env };
}

/**
 * `haproxy -c [-dr] -f F1 -f F2 …` with a bounded timeout. Configs given as text are written
 * under their own (relative) path in a fresh temporary directory which is also the working
 * directory, so HAProxy names them exactly as given. Paths to existing files are passed
 * relative to the directory of the first one (the working directory).
 */
export async function runHaproxyCheck(
  files: readonly ConfigInput[],
  env?: Record<string, string>,
  options: RunOptions = {},
): Promise<HaproxyCheck> {
  const tmp = mkdtempSync(join(tmpdir(), 'haplo-hap-'));
  try {
    const firstPath = files.find((f): f is string => typeof f === 'string');
    const cwd = firstPath ? dirname(firstPath) : tmp;
    const args = ['-c'];
    if (options.dr) args.push('-dr');
    for (const f of files) {
      if (typeof f === 'string') {
        args.push('-f', relative(cwd, f) || basename(f));
      } else {
        const target = join(tmp, f.path);
        writeFileSync(target, f.text);
        args.push('-f', cwd === tmp ? f.path : target);
      }
    }
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolvePromise) => {
      const child = spawn('haproxy', args, { cwd, env: haproxyEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolvePromise({ code: null, out: out + String(e) });
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        resolvePromise({ code: c, out });
      });
    });
    return { exitCode: code, ...parseHaproxyOutput(out), raw: out };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs `tasks` with at most `limit` in flight; results keep the order of `tasks`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
