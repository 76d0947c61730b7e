// `log` lines, read as 2.6's parse_logsrv (src/log.c) reads them: `no log`, `log global`, or
// `log <target> [len <n>] [format <name>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]`.
// HAProxy stops at the first problem and refuses the file ("log : <what>"), so only the first
// is reported. The target address itself is checked where HAProxy resolves it, not here; of a
// `sample` argument only its `:<size>` part is looked for.
import type { Word } from '../../ast/nodes.js';
import { LOG_LEVELS } from '../../catalogue/index.js';
import { codes, type CodeInfo } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { argumentsAsRead, statementVisits } from './util.js';

const FACILITIES: ReadonlySet<string> = new Set([
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'auth2', 'ftp',
  'ntp', 'audit', 'alert', 'cron2', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
]);
const FORMATS: ReadonlySet<string> = new Set(['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw']);
const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);
const SECTIONS: ReadonlySet<string> = new Set(['global', 'defaults', 'frontend', 'backend', 'listen']);

/** The first problem of a `log` line, or undefined; `at`: the word it is about (undefined: the keyword). */
interface LogProblem {
  message: string;
  at: Word | undefined;
  code: CodeInfo;
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
  ctx.report(p.code, file, (p.at ?? keywordWord).range, `log : ${p.message}`);
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
    if (!v(i + 1).includes(':')) return { message: 'Missing sample size', at: words[i + 1] ?? words[i], code: codes.badArgument };
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
  return undefined;
}

/** C's atoi: optional blanks and sign, then the leading digits; 0 when there are none. */
function atoi(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}
