// `log <address> [len <n>] [format <f>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]`
// read into a target (manual §4.2 "log"), and the target list of each proxy: its defaults'
// list, then its own lines in order — `log global` appends the global targets, `no log` clears.
import type { ProxyModel, Statement } from '@haplo/parser';
import { facilityNumber, levelNumber, SYSLOG_FORMATS, type SyslogFormat } from './syslog-names.js';

export const DEFAULT_SYSLOG_PORT = 514;
export const DEFAULT_MAX_LENGTH = 1024;

export type LogDestination =
  | { kind: 'udp'; host: string; port: number }
  | { kind: 'fd'; fd: 1 | 2 };

export interface LogTarget {
  /** The line as written (for messages). */
  text: string;
  destination: LogDestination;
  /** Longest line sent, header included (`len`, 80–65535; 1024). */
  maxLength: number;
  /** Undefined: `local`, or `rfc3164` when the global section has log-send-hostname. */
  format?: SyslogFormat;
  facility: number;
  /** Lines less severe than this are not sent (7, debug: all). */
  level: number;
  /** Lines more severe than this are sent at this level (0: unchanged). */
  minLevel: number;
  /** Send only the n-th lines of every period (`sample 1,3-4:5`). */
  sample?: { ranges: readonly (readonly [number, number])[]; size: number };
}

export type TargetParse = { target: LogTarget } | { error: string };

/** Reads the words after `log` (not `global`). */
export function parseLogTarget(args: readonly string[]): TargetParse {
  const text = args.join(' ');
  if (args.length < 2) return { error: `'log' expects <address> and <facility> as arguments` };
  let i = 1;
  let maxLength = DEFAULT_MAX_LENGTH;
  if (args[i] === 'len') {
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n < 80 || n > 65535) return { error: `invalid log length '${args[i + 1] ?? ''}', must be between 80 and 65535` };
    maxLength = n;
    i += 2;
  }
  let format: SyslogFormat | undefined;
  if (args[i] === 'format') {
    const f = args[i + 1] ?? '';
    if (!(SYSLOG_FORMATS as readonly string[]).includes(f)) return { error: `unknown log format '${f}'` };
    format = f as SyslogFormat;
    i += 2;
  }
  let sample: LogTarget['sample'];
  if (args[i] === 'sample') {
    const s = parseSample(args[i + 1] ?? '');
    if ('error' in s) return s;
    sample = s;
    i += 2;
  }
  const facility = facilityNumber(args[i] ?? '');
  if (facility < 0) return { error: `unknown log facility '${args[i] ?? ''}'` };
  i++;
  let level = 7;
  if (args[i] !== undefined) {
    level = levelNumber(args[i]!);
    if (level < 0) return { error: `unknown optional log level '${args[i]}'` };
    i++;
  }
  let minLevel = 0;
  if (args[i] !== undefined) {
    minLevel = levelNumber(args[i]!);
    if (minLevel < 0) return { error: `unknown optional minimum log level '${args[i]}'` };
    i++;
  }
  if (args[i] !== undefined) return { error: `cannot handle unexpected argument '${args[i]}'` };
  const destination = parseDestination(args[0]!);
  if ('error' in destination) return destination;
  return { target: { text, destination, maxLength, format, facility, level, minLevel, sample } };
}

/**
 * stdout, stderr, fd@1, fd@2 and UDP addresses (`1.2.3.4[:port]`, `[::1]:port`, `udp@…`,
 * `udp4@`, `udp6@`, `ipv4@`, `ipv6@`). Rings, stream targets, UNIX sockets and other file
 * descriptors are refused: haplo run does not implement them.
 */
function parseDestination(address: string): LogDestination | { error: string } {
  if (address === 'stdout' || address === 'fd@1') return { kind: 'fd', fd: 1 };
  if (address === 'stderr' || address === 'fd@2') return { kind: 'fd', fd: 2 };
  const unsupported = (what: string): { error: string } => ({ error: `log target '${address}': ${what} are not supported by haplo run (use a UDP address, stdout or stderr)` });
  if (address.startsWith('ring@')) return unsupported('ring buffers');
  if (address.startsWith('fd@')) return unsupported('file descriptors other than 1 and 2');
  if (/^(tcp[46]?|uxst|uxdg|unix|abns|sockpair)@/.test(address) || address.startsWith('/')) return unsupported('stream and UNIX socket targets');
  const m = /^(?:udp[46]?@|ipv[46]@)?(.*)$/.exec(address)!;
  const rest = m[1]!;
  let host: string;
  let portText = '';
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2] ?? '';
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? '' : rest.slice(colon + 1);
  }
  if (host === '') return { error: `log target '${address}': missing address` };
  let port = DEFAULT_SYSLOG_PORT;
  if (portText !== '') {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `log target '${address}': invalid port '${portText}'` };
  }
  return { kind: 'udp', host, port };
}

function parseSample(spec: string): { ranges: [number, number][]; size: number } | { error: string } {
  const colon = spec.indexOf(':');
  if (colon < 0) return { error: 'Missing sample size' };
  const ranges: [number, number][] = [];
  for (const part of spec.slice(0, colon).split(',')) {
    const [a, b] = part.split('-');
    const low = Number(a);
    const high = b === undefined ? low : Number(b);
    if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high < low) return { error: `wrong sample range '${part}'` };
    if (ranges.some(([l, h]) => low <= h && high >= l)) return { error: `ranges overlap in '${spec}'` };
    ranges.push([low, high]);
  }
  const size = Number(spec.slice(colon + 1));
  const maxHigh = Math.max(...ranges.map(([, h]) => h));
  if (!Number.isInteger(size) || size < 1) return { error: `wrong sample size '${spec.slice(colon + 1)}' for sample range '${spec.slice(0, colon)}'` };
  if (size < maxHigh) return { error: `sample size ${size} should be greater or equal to ${maxHigh} the maximum of the high ranges limits` };
  return { ranges: ranges.sort((x, y) => x[0] - y[0]), size };
}

const activeLog = (s: Statement): boolean => s.keyword === 'log' && s.line.active;

/** The global section's targets; refused lines go to `problems`. */
export function globalTargets(statements: readonly Statement[], problems: string[]): LogTarget[] {
  const out: LogTarget[] = [];
  for (const s of statements) {
    if (!activeLog(s)) continue;
    if (s.modifier) continue;
    const r = parseLogTarget(s.args.map((w) => w.value));
    if ('error' in r) problems.push(`${placeOf(s)}: ${r.error}`);
    else out.push(r.target);
  }
  return out;
}

/** A proxy's targets: inherited from its defaults section, then its own lines applied in order. */
export function proxyTargets(proxy: ProxyModel, global: readonly LogTarget[], problems: string[]): LogTarget[] {
  const list: LogTarget[] = proxy.defaults ? proxyTargets(proxy.defaults, global, []) : [];
  for (const s of proxy.statements) {
    if (!activeLog(s)) continue;
    if (s.modifier?.value === 'no') {
      list.length = 0;
      continue;
    }
    const args = s.args.map((w) => w.value);
    if (args.length === 1 && args[0] === 'global') {
      // Global targets already present (from the defaults' `log global`) are not added twice.
      for (const t of global) if (!list.includes(t)) list.push(t);
      continue;
    }
    const r = parseLogTarget(args);
    if ('error' in r) problems.push(`${placeOf(s)}: ${r.error}`);
    else list.push(r.target);
  }
  return list;
}

function placeOf(s: Statement): string {
  return `line ${s.line.line + 1}`;
}
