// Words between a rule's (or a conditional keyword's) arguments and its condition. HAProxy's
// parsers consume a fixed shape of arguments — whatever the words say, so in
// `http-request del-header if x` the header name is `if` — and then accept only `if`, `unless`
// or the end of the line. Anything else there (`iff`, `when`, `If`, a forgotten `if`, a word too
// many) is fatal. Messages are those of `haproxy -c` 2.6.12, per keyword family.
//
// The shape of an action comes from its catalogue `args`; an action whose shape is not known
// precisely (trailing `repeat` options, experimental actions) is not checked. An empty word
// (`"$UNSET"`) ends HAProxy's argument list, so the words are cut there.
import type { RuleSet, RuleStatement, Statement, Word } from '../../ast/nodes.js';
import { actionArity, getAction } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { ProxyModel } from '../../model/types.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits, type StatementContext } from './util.js';

const isCond = (v: string | undefined): boolean => v === 'if' || v === 'unless';

/**
 * The words after a keyword or action as HAProxy sees them: from `start` up to the first empty
 * word (an empty word ends its argument list). Read through `at`, without copying the line.
 */
class After {
  readonly length: number;
  constructor(readonly words: readonly Word[], readonly start: number) {
    let end = start;
    while (end < words.length && words[end]!.value !== '') end++;
    this.length = end - start;
  }
  at(i: number): Word | undefined {
    return i < this.length ? this.words[this.start + i] : undefined;
  }
  value(i: number): string | undefined {
    return i < this.length ? this.words[this.start + i]!.value : undefined;
  }
  values(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.words[this.start + i]!.value);
    return out;
  }
}

/** What HAProxy calls a proxy in "in %s '%s'" messages (proxy_type_str). */
function proxyType(p: ProxyModel | undefined): string {
  if (!p) return 'proxy';
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** Actions whose own parser reports the extra word, with its own message. */
const OWN_MESSAGE: ReadonlyMap<string, string> = new Map([
  ['set-path', 'expects exactly 1 argument <format>'],
  ['set-pathq', 'expects exactly 1 argument <format>'],
  ['set-query', 'expects exactly 1 argument <format>'],
  ['set-uri', 'expects exactly 1 argument <format>'],
  ['set-method', 'expects exactly 1 argument <format>'],
  ['replace-path', 'expects exactly 2 arguments <match-regex> and <replace-format>'],
  ['replace-pathq', 'expects exactly 2 arguments <match-regex> and <replace-format>'],
  ['replace-uri', 'expects exactly 2 arguments <match-regex> and <replace-format>'],
]);

/**
 * HTTP actions given too few words (an empty word ends the list, so `set-header X "$UNSET"` is
 * one of them): the number they need and HAProxy's message.
 */
const MISSING: ReadonlyMap<string, [min: number, message: string]> = new Map([
  ['set-header', [2, 'expects exactly 2 arguments']],
  ['add-header', [2, 'expects exactly 2 arguments']],
  ['early-hint', [2, 'expects exactly 2 arguments']],
  ['replace-header', [3, 'expects exactly 3 arguments']],
  ['replace-value', [3, 'expects exactly 3 arguments']],
  ['del-header', [1, 'expects at least 1 argument']],
  ['set-path', [1, 'expects exactly 1 argument <format>']],
  ['set-pathq', [1, 'expects exactly 1 argument <format>']],
  ['set-query', [1, 'expects exactly 1 argument <format>']],
  ['set-uri', [1, 'expects exactly 1 argument <format>']],
  ['set-method', [1, 'expects exactly 1 argument <format>']],
  ['replace-path', [2, 'expects exactly 2 arguments <match-regex> and <replace-format>']],
  ['replace-pathq', [2, 'expects exactly 2 arguments <match-regex> and <replace-format>']],
  ['replace-uri', [2, 'expects exactly 2 arguments <match-regex> and <replace-format>']],
  ['set-var', [1, 'missing fetch method']],
  ['track-sc0', [1, 'missing fetch method']],
  ['track-sc1', [1, 'missing fetch method']],
  ['track-sc2', [1, 'missing fetch method']],
  ['set-src', [1, 'missing fetch method']],
  ['set-dst', [1, 'missing fetch method']],
  ['set-src-port', [1, 'missing fetch method']],
  ['set-dst-port', [1, 'missing fetch method']],
  ['set-map', [2, 'expects exactly 2 arguments']],
  ['add-acl', [1, 'expects exactly 1 arguments']],
  ['del-acl', [1, 'expects exactly 1 arguments']],
  ['del-map', [1, 'expects exactly 1 arguments']],
  ['strict-mode', [1, 'expects exactly 1 arguments']],
  ['set-log-level', [1, "expects exactly 1 argument (log level name or 'silent')"]],
  ['cache-use', [1, 'expects a cache name']],
  ['cache-store', [1, 'expects a cache name']],
  ['set-mark', [1, 'expects exactly 1 argument (integer/hex value)']],
  ['set-timeout', [2, 'expects exactly 2 arguments']],
  ['set-status', [1, 'expects 1 argument: <status>; or 3 arguments: <status> reason <fmt>']],
]);

const isHttp = (rs: RuleSet): boolean => rs === 'http-request' || rs === 'http-response' || rs === 'http-after-response';

/** How HAProxy starts its messages about a rule (built only when reporting). */
function ruleWhere(p: ProxyModel | undefined, ruleSet: RuleSet, actionWord: Word): string {
  return `error detected in ${proxyType(p)} '${p?.name ?? ''}' while parsing '${ruleSet} ${actionWord.value}' rule`;
}

/** `known`: the action is known in the rule set (so its shape is). */
function checkRule(ctx: CheckContext, sc: StatementContext, rule: Statement, ruleSet: RuleSet, actionWord: Word, actionName: string, known: boolean): void {
  const words = rule.line.words;
  const at = words.indexOf(actionWord);
  if (at < 0 || !known) return;
  const after = new After(words, at + 1);
  const p = sc.proxy;
  const missing = isHttp(ruleSet) ? MISSING.get(actionName) : undefined;
  if (missing && after.length < missing[0]) {
    ctx.report(codes.missingArgument, sc.file, (after.at(after.length - 1) ?? actionWord).range, `${ruleWhere(p, ruleSet, actionWord)} : ${missing[1]}.`);
    return;
  }
  const n = actionArity(ruleSet, actionName, after.values());
  if (n === undefined) return;
  const extra = after.at(n);
  if (!extra || isCond(extra.value)) return;
  const own = OWN_MESSAGE.get(actionName);
  let message: string;
  if (own && ruleSet === 'http-request') {
    message = `${ruleWhere(p, ruleSet, actionWord)} : ${own}.`;
  } else if (ruleSet.startsWith('tcp-')) {
    message = `'${ruleSet} ${actionWord.value}' only accepts 'if' or 'unless', in ${proxyType(p)} '${p?.name ?? ''}' (got '${extra.value}')`;
  } else {
    message = `'${ruleSet} ${actionWord.value}' expects either 'if' or 'unless' followed by a condition but found '${extra.value}'.`;
  }
  ctx.report(codes.badConditionKeyword, sc.file, extra.range, message);
}

/** Keywords whose condition is mandatory: `'<kw>' requires either 'if' or 'unless' …`. */
const REQUIRED_AFTER: ReadonlyMap<string, number> = new Map([
  ['use-server', 1], ['force-persist', 0], ['ignore-persist', 0], ['monitor fail', 0], ['stats admin', 0],
]);

const PLAIN = new Set(['use_backend', 'stick on', 'stick match', 'stick store-request', 'stick store-response', 'stats http-request', ...REQUIRED_AFTER.keys()]);

/** Keywords of PLAIN: what may stand between their arguments and their condition. */
function checkPlain(ctx: CheckContext, sc: StatementContext, stmt: Statement): void {
  const words = stmt.line.words;
  const last = stmt.keywordWords[stmt.keywordWords.length - 1];
  if (!last) return;
  const after = new After(words, words.indexOf(last) + 1);
  const kw = stmt.keyword;
  const required = REQUIRED_AFTER.get(kw);
  if (required !== undefined) {
    if (required > 0 && after.length === 0) return; // `use-server` without a name: another message
    const w = after.at(required);
    if (w && isCond(w.value)) return;
    const range = w?.range ?? (after.at(after.length - 1) ?? last).range;
    ctx.report(codes.badConditionKeyword, sc.file, range, `'${kw}' requires either 'if' or 'unless' followed by a condition.`);
    return;
  }
  if (kw === 'use_backend') {
    const w = after.at(1);
    if (after.length === 0 || !w || isCond(w.value)) return;
    ctx.report(codes.badConditionKeyword, sc.file, w.range, `unexpected keyword '${w.value}' after switching rule, only 'if' and 'unless' are allowed.`);
    return;
  }
  if (kw.startsWith('stick ')) {
    if (after.length === 0) {
      ctx.report(codes.missingArgument, sc.file, last.range, `'stick' expects a fetch method.`);
      return;
    }
    let i = 1;
    if (after.value(i) === 'table') i += 2;
    const w = after.at(i);
    if (!w || isCond(w.value)) return;
    ctx.report(codes.badConditionKeyword, sc.file, w.range, `'stick': unknown keyword '${w.value}'.`);
    return;
  }
  if (kw === 'stats http-request') {
    const action = after.at(0);
    if (!action || !['allow', 'deny', 'auth'].includes(action.value)) return;
    checkRule(ctx, sc, stmt, 'http-request', action, action.value, getAction('http-request', action.value) !== undefined);
  }
}

export const conditionWordsCheck: Check = {
  name: 'condition-words',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      if (!sc.inProxySection || sc.slashComment || sc.hasModifier) continue;
      // Filtered on the visit: the statement itself is read only when it is checked.
      if (sc.type === 'rule') {
        // Only known actions have a known shape (`sc.action`, set only when the rule has an action word).
        const stmt = sc.stmt as RuleStatement;
        if (sc.action) checkRule(ctx, sc, stmt, stmt.ruleSet, stmt.action!, stmt.actionName, true);
      } else if (sc.type === 'statement' && PLAIN.has(sc.keyword)) {
        checkPlain(ctx, sc, sc.stmt);
      }
    }
  },
};
