// `log` lines, read as 2.6's parse_logsrv (src/log.c) reads them: `no log`, `log global`, or
// `log <target> [len <n>] [format <name>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]`.
// HAProxy stops at the first problem and refuses the file ("log : <what>"), so only the first
// is reported. The target is read last, as parse_logsrv does: `ring@<name>` (whose name is
// resolved at startup, see references and tables-and-sections), else str2sa_range with
// PA_O_PORT_OK, PA_O_RESOLVE and PA_O_RAW_FD. An address HAProxy builds from the environment
// (a `$` in it, expanded by str2sa_range itself) is not judged.
import type { Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { LOG_LEVELS } from '../../catalogue/index.js';
import { codes, type CodeInfo } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { ADDRESS_RULES, addressProblem, problemText } from '../../model/addresses.js';
import { argumentsAsRead, statementVisits } from './util.js';

const FACILITIES: ReadonlySet<string> = new Set([
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'auth2', 'ftp',
  'ntp', 'audit', 'alert', 'cron2', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
]);
const FORMATS: ReadonlySet<string> = new Set(['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw']);
const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);
const SECTIONS: ReadonlySet<string> = new Set(['global', 'defaults', 'frontend', 'backend', 'listen']);

/**
 * The first problem of a `log` line, or undefined; `at`: the word it is about (undefined: the
 * keyword), `from`/`to`: the part of that word, when narrower.
 */
interface LogProblem {
  message: string;
  at: Word | undefined;
  code: CodeInfo;
  from?: number;
  to?: number;
  /** HAProxy accepts the line (haplo's own advice). */
  warning?: boolean;
}

export const logTargetsCheck: Check = {
  name: 'log-targets',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const { stmt, file, section, keyword } = visits[n]!;
      if (keyword !== 'log' || !section || !SECTIONS.has(section.kind)) continue;
      const modifier = stmt.modifier?.value;
      if (modifier !== undefined && modifier !== 'no' && modifier !== 'default') continue;
      const problem = logProblem(argumentsAsRead(stmt), modifier, section.kind === 'global');
      if (problem) report(ctx, file, problem, stmt.keywordWords[0]!);
    }
  },
};

function report(ctx: CheckContext, file: string, p: LogProblem, keywordWord: Word): void {
  const range = p.at && p.from !== undefined ? rangeInWord(p.at, p.from, p.to ?? p.at.value.length) : (p.at ?? keywordWord).range;
  ctx.report(p.code, file, range, `log : ${p.message}`, p.warning ? { severity: 'warning' } : undefined);
}

/** `words`: what 2.6 reads after `log` (argumentsAsRead: after `default`, the last word twice). */
export function logProblem(words: readonly Word[], modifier: string | undefined, inGlobal: boolean): LogProblem | undefined {
  if (modifier === 'no') {
    return words.length > 0 ? { message: "'no log' does not expect arguments", at: words[0], code: codes.extraArgument } : undefined;
  }
  const v = (i: number): string => words[i]?.value ?? '';
  if (words.length === 1 && v(0) === 'global') {
    return inGlobal ? { message: "'global' is not supported for a global syslog server", at: words[0], code: codes.badArgument } : undefined;
  }
  if (v(0) === '' || v(1) === '') {
    const what = inGlobal ? 'expects <address> and <facility>  as arguments' : 'expects <address> and <facility> or global as arguments';
    return { message: what, at: undefined, code: codes.missingArgument };
  }
  let i = 1;
  if (v(i) === 'len') {
    const len = atoi(v(i + 1));
    if (len < 80 || len > 65535) return { message: `invalid log length '${v(i + 1)}', must be between 80 and 65535`, at: words[i + 1] ?? words[i], code: codes.badArgument };
    i += 2;
  }
  if (v(i) === 'format') {
    if (!FORMATS.has(v(i + 1))) return { message: `unknown log format '${v(i + 1)}'`, at: words[i + 1] ?? words[i], code: codes.badArgument };
    i += 2;
  }
  if (v(i) === 'sample') {
    const problem = sampleProblem(words[i + 1], words[i]!);
    if (problem) return problem;
    i += 2;
  }
  if (!FACILITIES.has(v(i))) return { message: `unknown log facility '${v(i)}'`, at: words[i], code: codes.badArgument };
  i++;
  if (v(i) !== '') {
    if (!LEVELS.has(v(i))) return { message: `unknown optional log level '${v(i)}'`, at: words[i], code: codes.badArgument };
    i++;
  }
  if (v(i) !== '') {
    if (!LEVELS.has(v(i))) return { message: `unknown optional minimum log level '${v(i)}'`, at: words[i], code: codes.badArgument };
    i++;
  }
  if (v(i) !== '') return { message: `cannot handle unexpected argument '${v(i)}'`, at: words[i], code: codes.extraArgument };
  return targetProblem(words[0]!);
}

/**
 * The `<ranges>:<size>` of `sample`, read as 2.6's parse_logsrv and get_logsrv_smp_range read
 * it: comma-separated ranges `N` or `N-M` (numbers from 1, M above N, a trailing comma allowed),
 * each checked against the earlier ones (only whether its ends fall inside one, so `3-5,1-10`
 * passes), then a size from 1 at least as large as every range's high end. Numbers wrap as
 * read_uint's `unsigned int` does.
 */
function sampleProblem(arg: Word | undefined, keyword: Word): LogProblem | undefined {
  const text = arg?.value ?? '';
  const colon = text.indexOf(':');
  if (!arg || colon < 0) return { message: 'Missing sample size', at: arg ?? keyword, code: codes.badArgument };
  const bad = (message: string, from?: number, to?: number): LogProblem => ({ message, at: arg, code: codes.badArgument, from, to });
  const seen: { low: number; high: number }[] = [];
  let maxHigh = 0;
  for (let p = 0; p !== colon; ) {
    const comma = text.indexOf(',', p);
    const end = comma >= 0 && comma < colon ? comma : colon;
    const first = readUint(text, p, end);
    const low = first.value;
    let high = low;
    let ok = low !== 0 && (first.next === end || text[first.next] === '-');
    if (ok && first.next !== end) {
      const second = readUint(text, first.next + 1, end);
      high = second.value;
      ok = high !== 0 && high > low && second.next === end;
    }
    if (!ok) return bad(`wrong sample range '${text.slice(p, colon)}'`, p, end);
    if (seen.some((r) => (low >= r.low && low <= r.high) || (high >= r.low && high <= r.high))) return bad('ranges are overlapping', p, end);
    seen.push({ low, high });
    if (high > maxHigh) maxHigh = high;
    p = end === comma ? end + 1 : end;
  }
  if (seen.length === 0) return bad('no sampling ranges given');
  const sizeText = text.slice(colon + 1);
  const size = readUint(sizeText, 0, sizeText.length);
  if (size.value === 0 || size.next !== sizeText.length) {
    return bad(`wrong sample size '${sizeText}' for sample range '${text.slice(0, colon)}'`, colon + 1);
  }
  if (size.value < maxHigh) {
    return bad(`sample size ${size.value} should be greater or equal to ${maxHigh} the maximum of the high ranges limits`, colon + 1);
  }
  return undefined;
}

/** read_uint: the digits from `from` up to `end`, wrapping at 2^32 as an `unsigned int` does. */
function readUint(text: string, from: number, end: number): { value: number; next: number } {
  let value = 0;
  let i = from;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    value = (value * 10 + d) % 4294967296;
  }
  return { value, next: i };
}

/** Sinks every HAProxy has; only `buf0` is a ring. */
const INCOMPATIBLE_SINKS: ReadonlySet<string> = new Set(['stdout', 'stderr']);

/** The log target (the word after `log`), checked last as parse_logsrv does. */
function targetProblem(w: Word): LogProblem | undefined {
  const text = w.value;
  if ((w.envRefs?.length ?? 0) > 0 || w.splitFromExpansion === true || text.includes('$')) return undefined;
  if (text === 'stdout' || text === 'stderr') return undefined; // fd@1, fd@2
  if (text.startsWith('ring@')) return ringProblem(w);
  const p = addressProblem(text, ADDRESS_RULES.log);
  if (!p) return undefined;
  return { message: problemText(p), at: w, code: codes.badArgument, from: p.from, to: p.to, warning: p.warning };
}

/**
 * `ring@<name>`. The name is resolved when HAProxy starts (post_sink_resolve, which `haproxy -c`
 * skips): an undeclared ring is reported by tables-and-sections; here, what is never a ring.
 */
function ringProblem(w: Word): LogProblem | undefined {
  const name = w.value.slice(5);
  const startup = "HAProxy 2.6 refuses to start on it, though 'haproxy -c' accepts it";
  if (name === '') {
    return { message: `uses unknown ring named '' (${startup}): name a 'ring' section after 'ring@', or use 'ring@buf0'`, at: w, code: codes.unknownSection };
  }
  if (INCOMPATIBLE_SINKS.has(name)) {
    return { message: `uses incompatible ring '${name}' (${startup}): '${name}' is not a ring, write 'log ${name}' to log to it`, at: w, code: codes.badArgument, from: 5 };
  }
  return undefined;
}

/** C's atoi: optional blanks and sign, then the leading digits; 0 when there are none. */
function atoi(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}
