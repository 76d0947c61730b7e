// Helpers for the logging tests: a config compiled to a model, a ProcessLogging whose lines
// are collected instead of sent, and fixed dates built in local time (so renderings do not
// depend on the machine's time zone).
import { checkSources, type Model } from '@haplo/parser';
import { createContext, type ContextOptions, type StreamContext } from '@haplo/sim';
import { createProcessLogging, type LoggingOptions, type ProcessLogging } from '../../packages/proxy/src/log/index.js';
import type { LogSinks } from '../../packages/proxy/src/log/log-sinks.js';
import type { LogTarget } from '../../packages/proxy/src/log/log-targets.js';

export function modelOf(text: string): Model {
  const r = checkSources([{ path: 't.cfg', text }], {});
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  return r.model;
}

export interface SentLine {
  target: LogTarget;
  line: string;
}

/** Sinks that keep every line. */
export function collectingSinks(): LogSinks & { lines: SentLine[] } {
  const lines: SentLine[] = [];
  return { lines, dropped: 0, send: (target, line) => void lines.push({ target, line }), close: () => {} };
}

export interface TestLogging {
  logging: ProcessLogging;
  lines: SentLine[];
}

/** ProcessLogging of `text` with collected lines, pid 822, one connection on the process and frontend. */
export function loggingOf(text: string, o: LoggingOptions = {}): TestLogging {
  const sinks = collectingSinks();
  const logging = createProcessLogging(modelOf(text), {
    sinks, pid: 822, hostname: 'testhost', counts: () => ({ actconn: 1, feconn: 1, beconn: 0, srvConn: 0 }), ...o,
  });
  return { logging, lines: sinks.lines };
}

/** Milliseconds since the epoch of a local date (month 1–12). */
export function localTime(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

export function context(o: ContextOptions): StreamContext {
  return createContext({ src: '127.0.0.1', dst: '127.0.0.1', dstPort: 18100, ...o });
}
