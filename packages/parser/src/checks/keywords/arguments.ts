// Argument count and shape for the keywords where HAProxy 2.6 itself refuses a bad argument
// (each message below was produced by `haproxy -c`): bind/server arity and addresses, timeouts,
// mode, balance, maxconn, server weight, HTTP status codes of deny/tarpit/return/errorfile, and
// the redirect type. Deliberately conservative: where HAProxy accepts a sloppy value
// (`maxconn abc`, `retries abc`) nothing is reported.
import type { Range, RuleStatement, Statement, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { getServerOption } from '../../catalogue/index.js';
import { ADDRESS_RULES, addressProblem, atoi, isDigit, listenerProblems, problemText, splitAddress, type SplitAddress } from '../../model/addresses.js';
import { unixBindPrefixLength } from './socket-addresses.js';
import { isServerFlag, serverOption } from '../../model/servers.js';
import type { Model, ProxyModel, ServerModel } from '../../model/types.js';
import { optionLines, weightIndex, type OptionLine } from '../option-lines.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits, wordsRange, type StatementContext } from './util.js';

/** Status codes HAProxy 2.6 has a built-in error message for (deny, tarpit, errorfile). */
export const KNOWN_ERROR_STATUSES: ReadonlySet<number> = new Set([200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504]);

const BALANCE_SIMPLE = new Set(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'random', 'rdp-cookie', 'hash']);
const BALANCE_PAREN = new Set(['hdr', 'random', 'rdp-cookie']);
const BALANCE_MESSAGE = "balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.";
const REDIRECT_WORDS = "'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash'";
const BODY_OPTIONS = new Set(['string', 'lf-string', 'file', 'lf-file', 'errorfile', 'errorfiles']);
const MAX_TIMER_MS = 2147483647;
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

const dynamic = (w: Word): boolean => (w.envRefs?.length ?? 0) > 0 || w.splitFromExpansion === true;

/**
 * Parses a time as HAProxy 2.6's parse_time_err does: digits, then an optional unit (`us`, `ms`,
 * `s`, `m`, `h`, `d`). A bad first character is an error (`badIndex`); characters after a valid
 * unit are only warned about in 2.6 (`trailingIndex`: `30sec` is 30 s).
 */
export function parseTime(text: string): { ms: number; trailingIndex?: number } | { badIndex: number } {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === 0) return { badIndex: 0 };
  const value = Number(text.slice(0, i));
  const rest = text.slice(i);
  if (rest === '') return { ms: value };
  for (const unit of ['us', 'ms', 's', 'm', 'h', 'd']) {
    if (rest.startsWith(unit)) {
      const ms = value * TIME_UNITS[unit]!;
      return rest.length > unit.length ? { ms, trailingIndex: i + unit.length } : { ms };
    }
  }
  return { badIndex: i };
}

/** HAProxy 2.6's warning for characters after a time unit. */
export function timerTailWarning(text: string, index: number): string {
  return `unexpected character '${text[index]}' after the timer value '${text}', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`;
}

/** parse_size_err: digits, then an optional k/m/g; the index of the first bad character, or -1. */
function sizeErrorIndex(text: string): number {
  let i = 0;
  while (i < text.length && isDigit(text[i])) i++;
  if (i === 0) return 0;
  if (i === text.length) return -1;
  if (!/[kKmMgG]/.test(text[i]!)) return i;
  return i + 1 < text.length ? i + 1 : -1;
}

function checkTimeout(ctx: CheckContext, file: string, stmt: Statement): void {
  const name = stmt.keyword;
  const [value, extra] = stmt.args;
  if (!value) {
    ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'${name}' expects an integer value (in milliseconds)`);
    return;
  }
  if (dynamic(value)) return;
  const t = parseTime(value.value);
  if ('badIndex' in t) {
    ctx.report(codes.badArgument, file, rangeInWord(value, t.badIndex, t.badIndex + 1), `unexpected character '${value.value[t.badIndex] ?? ''}' in '${name}'`);
    return;
  }
  if (t.ms > MAX_TIMER_MS) {
    ctx.report(codes.badArgument, file, value.range, `timer overflow in argument '${value.value}' to '${name}' (maximum value is 2147483647 ms or ~24.8 days)`);
    return;
  }
  if (t.trailingIndex !== undefined) {
    ctx.report(codes.badArgument, file, rangeInWord(value, t.trailingIndex, value.value.length), timerTailWarning(value.value, t.trailingIndex), { severity: 'warning' });
  }
  if (extra) {
    ctx.report(codes.extraArgument, file, extra.range, `'${name}' : unexpected extra argument '${extra.value}' after value '${value.value}'.`);
  }
}

/** `frontend 'fe'`, `backend 'be'`, `proxy 'li'` (listen), `defaults 'd'`: HAProxy's proxy_type_str and name. */
function proxyTypeName(sc: StatementContext): string {
  const p = sc.proxy;
  if (!p) return "proxy ''";
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/** The words of the line after `word`, condition included (HAProxy's parsers see them all). */
function rawAfter(stmt: Statement, word: Word): Word[] {
  const words = stmt.line.words;
  return words.slice(words.indexOf(word) + 1);
}

const STICK_TABLE_TYPES = new Set(['ip', 'ipv6', 'integer', 'string', 'binary']);

/** parse_stick_table (2.6): its arguments in any order; each problem is fatal and ends the line. */
function checkStickTable(ctx: CheckContext, file: string, stmt: Statement): void {
  const args = stmt.args;
  if (args.some(dynamic)) return;
  const v = (i: number): string => args[i]?.value ?? '';
  const fail = (w: Word | undefined, message: string, info = codes.badArgument): void => {
    ctx.report(info, file, w?.range ?? wordsRange(stmt.keywordWords), `stick-table: ${message}`);
  };
  let size = false;
  let type = false;
  let i = 0;
  while (v(i) !== '') {
    const kw = v(i);
    if (kw === 'size' || kw === 'expire' || kw === 'peers') {
      const value = args[i + 1];
      if (!value || value.value === '') return fail(args[i], `missing argument after '${kw}'.`, codes.missingArgument);
      if (kw === 'size') {
        const bad = sizeErrorIndex(value.value);
        if (bad >= 0) return fail(value, `unexpected character '${value.value[bad] ?? ''}' in argument of 'size'.`);
        size = Number(value.value.match(/^\d+/)?.[0] ?? 0) > 0 || size;
      } else if (kw === 'expire') {
        const t = parseTime(value.value);
        if ('badIndex' in t) return fail(value, `unexpected character '${value.value[t.badIndex] ?? ''}' in argument of 'expire'.`);
        if (t.ms > MAX_TIMER_MS) return fail(value, `timer overflow in argument <${value.value}> to <expire>, maximum value is 2147483647 ms (~24.8 days).`);
        if (t.trailingIndex !== undefined) {
          ctx.report(codes.badArgument, file, rangeInWord(value, t.trailingIndex, value.value.length), timerTailWarning(value.value, t.trailingIndex), { severity: 'warning' });
        }
      }
      i += 2;
    } else if (kw === 'nopurge') {
      i++;
    } else if (kw === 'type') {
      if (!STICK_TABLE_TYPES.has(v(i + 1))) return fail(args[i + 1] ?? args[i], `unknown type '${v(i + 1)}'.`);
      type = true;
      i += 2;
      if ((v(i - 1) === 'string' || v(i - 1) === 'binary') && v(i) === 'len') i += 2;
    } else if (kw === 'store') {
      i += 2;
    } else if (kw === 'srvkey') {
      if (v(i + 1) !== 'name' && v(i + 1) !== 'addr') {
        ctx.report(codes.badArgument, file, (args[i + 1] ?? args[i]!).range, `stick-table : unknown server key type '${v(i + 1)}'.`);
        return;
      }
      i += 2;
    } else {
      return fail(args[i], `unknown argument '${kw}'.`);
    }
  }
  if (!size) return fail(undefined, 'missing size.', codes.missingArgument);
  if (!type) return fail(undefined, 'missing type.', codes.missingArgument);
}

function tooMany(ctx: CheckContext, file: string, stmt: Statement, max: number): boolean {
  const extra = stmt.args[max];
  if (!extra) return false;
  ctx.report(codes.extraArgument, file, extra.range, `'${stmt.keyword}' cannot handle unexpected argument '${extra.value}'.`);
  return true;
}

/** The addresses of a `bind` line, read as str2listener reads them (the first problem ends the line). */
function checkBind(ctx: CheckContext, file: string, stmt: Statement, prefixLength: number): void {
  const addr = stmt.args[0];
  if (!addr) {
    ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.`);
    return;
  }
  if (dynamic(addr) || addr.value.includes('$')) return;
  for (const p of listenerProblems(addr.value, ADDRESS_RULES.bind, prefixLength)) {
    ctx.report(codes.badArgument, file, rangeInWord(addr, p.from, p.to), `'bind' : ${problemText(p)}`, p.warning ? { severity: 'warning' } : undefined);
  }
}

/** `'server px/name'`, as HAProxy starts its server messages (built only when reporting). */
function serverWho(sc: StatementContext, stmt: Statement, serverName: string): string {
  return `'${stmt.keyword} ${sc.proxy?.name ?? ''}/${serverName}'`;
}

/**
 * A server's address, read with the server rules. A host that can never resolve is reported as
 * the server's later resolution reports it ("could not resolve address"), a name with an empty
 * label as srv_prepare_for_resolution does; an SRV record name (`_…`) is left to the resolvers.
 * True when an error was reported (HAProxy has then no server to check further).
 */
function checkServerAddress(ctx: CheckContext, sc: StatementContext, stmt: Statement, addr: Word): boolean {
  const serverName = stmt.args[0]!.value;
  const p = addressProblem(addr.value, ADDRESS_RULES.server);
  const who = (): string => serverWho(sc, stmt, serverName);
  if (p) {
    const range = rangeInWord(addr, p.from, p.to);
    if (p.kind !== 'host') {
      ctx.report(codes.badArgument, sc.file, range, `${who()} : ${problemText(p)}`, p.warning ? { severity: 'warning' } : undefined);
      return p.warning !== true;
    }
    const host = p.host ?? '';
    if (host.startsWith('_')) return false;
    if (host.startsWith('.') || host.includes('..')) {
      ctx.report(codes.badArgument, sc.file, range, `${who()} : Can't create DNS resolution for server '${serverName}'`);
    } else {
      ctx.report(codes.badArgument, sc.file, range, `${who()} : could not resolve address '${host}'.${p.advice ? ` (${p.advice})` : ''}`);
    }
    return true;
  }
  const a = splitAddress(addr.value);
  if (a && a.port === undefined && isServerKeyword(a.host)) {
    ctx.report(codes.badArgument, sc.file, rangeInWord(addr, a.hostIndex, a.hostIndex + a.host.length),
      `${who()} : could not resolve address '${a.host}'. '${a.host}' is a server option: the server name looks missing ('server <name> <address> …').`);
    return true;
  }
  return false;
}

/** Whether a word is a server option (`check`, `backup`, `weight` …), so not meant as an address. */
function isServerKeyword(word: string): boolean {
  return getServerOption(word) !== undefined || isServerFlag(word);
}

const CHECK_OPTIONS = /^option (httpchk|tcp-check|ssl-hello-chk|smtpchk|mysql-check|pgsql-check|redis-check|ldap-check|spop-check|external-check)$/;

/** What one run of the check learns once and reuses for every server line. */
class RunState {
  /** Whether a proxy's own lines set check rules. */
  readonly ownCheckRules = new Map<ProxyModel, boolean>();
  private proxy: ProxyModel | undefined;
  /** The next entry of `proxy.servers` not yet matched to its line. */
  private next = 0;
  private readonly lines: readonly OptionLine[];
  /** The next entry of `lines` not yet matched to its visit. */
  private nextLine = 0;

  private prefixLength: number | undefined;

  constructor(private readonly model: Model) {
    this.lines = optionLines(model);
  }

  /** The length of the global `unix-bind prefix <path>` (the last one written), 0 without. */
  unixBindPrefixLength(): number {
    if (this.prefixLength === undefined) this.prefixLength = unixBindPrefixLength(this.model);
    return this.prefixLength;
  }

  /**
   * The server model of a `server` line. Lines are visited in order and a proxy's servers are
   * listed in line order, so a cursor finds each one, passing the servers of lines that were not
   * asked about (compared by identity: reading each server's line number costs memory traffic).
   */
  serverOf(proxy: ProxyModel, stmt: Statement): ServerModel | undefined {
    if (proxy !== this.proxy) {
      this.proxy = proxy;
      this.next = 0;
    }
    const servers = proxy.servers;
    for (let k = this.next; k < servers.length; k++) {
      if (servers[k]!.statement !== stmt) continue;
      this.next = k + 1;
      return servers[k];
    }
    return undefined;
  }

  /**
   * The option line of a server or default-server visit. Both lists are in statement order and
   * every line this check asks about has one, so a cursor finds it (passing the bind lines).
   */
  optionLineOf(sc: StatementContext): OptionLine | undefined {
    for (let k = this.nextLine; k < this.lines.length; k++) {
      if (this.lines[k]!.visit !== sc) continue;
      this.nextLine = k + 1;
      return this.lines[k];
    }
    return undefined;
  }
}

function setsCheckRules(p: ProxyModel, state: RunState): boolean {
  let found = state.ownCheckRules.get(p);
  if (found === undefined) {
    found = false;
    for (const st of p.statements) {
      const kw = st.keyword;
      if (kw.startsWith('tcp-check') || kw.startsWith('http-check') || CHECK_OPTIONS.test(kw)) {
        found = true;
        break;
      }
    }
    state.ownCheckRules.set(p, found);
  }
  return found;
}

/** Whether the proxy (or a defaults it inherits) sets check rules, which may carry the port. */
function hasCheckRules(proxy: ProxyModel, state: RunState): boolean {
  for (let p: ProxyModel | undefined = proxy, depth = 0; p && depth < 100; p = p.defaults, depth++) {
    if (setsCheckRules(p, state)) return true;
  }
  return false;
}

/**
 * 2.6 refuses a checked server whose health checks have no port: no service port (none, empty,
 * `0` or an offset) and no `port` or `addr <ip>:<port>` option. Reported without a line by
 * HAProxy ("config: proxy 'px': server 's' has neither service port nor check port.").
 */
function checkCheckPort(ctx: CheckContext, sc: StatementContext, stmt: Statement, addr: Word, a: SplitAddress | undefined, state: RunState): void {
  const server = sc.proxy ? state.serverOf(sc.proxy, stmt) : undefined;
  if (!server || !server.check || !a) return;
  // The address first: reading an option replays the server's parameters.
  if (a.port !== undefined && isDigit(a.port[0]) && atoi(a.port) > 0) return;
  if (serverOption(server, 'port') !== undefined) return;
  const checkAddr = serverOption(server, 'addr')?.[0];
  if (checkAddr) {
    const c = splitAddress(checkAddr.value);
    if (!c || (c.port !== undefined && isDigit(c.port[0]) && atoi(c.port) > 0) || dynamic(checkAddr)) return;
  }
  // Last, as it reads the whole proxy (and its defaults) once.
  if (hasCheckRules(server.proxy, state)) return;
  const p = server.proxy;
  ctx.report(codes.missingArgument, sc.file, addr.range,
    `config: ${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}': server '${server.name}' has neither service port nor check port.`);
}

/** `a.b.c.d:port` with each byte 0–255 (at most two digits below 100) and a port from 1 to 65535. */
const PLAIN_IPV4_PORT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|\d\d?):[1-9]\d{0,4}$/;

function isPlainIPv4WithPort(text: string): boolean {
  return PLAIN_IPV4_PORT.test(text) && Number(text.slice(text.lastIndexOf(':') + 1)) <= 65535;
}

function checkServer(ctx: CheckContext, sc: StatementContext, stmt: Statement, state: RunState): void {
  const isTemplate = stmt.keyword === 'server-template';
  const need = isTemplate ? 3 : 2;
  if (stmt.args.length < need) {
    ctx.report(codes.missingArgument, sc.file, wordsRange(stmt.keywordWords),
      isTemplate ? `'server-template' expects <prefix> <nb_servers> <addr>[:<port>] as arguments.` : `'server' expects <name> and <addr>[:<port>] as arguments.`);
    return;
  }
  const addr = stmt.args[need - 1]!;
  // Most servers are written `a.b.c.d:port`: then nothing can be wrong with the address, and
  // health checks have the port. Nothing is judged about an address built from the environment
  // (str2sa_range expands a `$VAR` left in it).
  if (!isPlainIPv4WithPort(addr.value) && !dynamic(addr) && !addr.value.includes('$')) {
    if (!checkServerAddress(ctx, sc, stmt, addr) && !isTemplate) checkCheckPort(ctx, sc, stmt, addr, splitAddress(addr.value), state);
  }
  checkWeight(ctx, sc, stmt, need, state);
}

/**
 * The first `weight` of a server or default-server line (found by option-lines.ts when it has the
 * line). `from`: the first parameter (0 on a default-server line, which the message names so).
 */
function checkWeight(ctx: CheckContext, sc: StatementContext, stmt: Statement, from: number, state: RunState): void {
  const i = state.optionLineOf(sc)?.weightAt ?? weightIndex(stmt.args, from);
  if (i < 0) return;
  const w = stmt.args[i + 1]!;
  if (!/^\d+$/.test(w.value)) return;
  const n = Number(w.value);
  if (n > 256 && !dynamic(w)) {
    const name = from === 0 ? 'default-server' : stmt.args[0]!.value;
    const who = stmt.keyword === 'server' ? `'server ${sc.proxy?.name ?? ''}/${name}' : ` : '';
    ctx.report(codes.badArgument, sc.file, w.range, `${who}weight of server ${name} is not within 0 and 256 (${n})..`);
  }
}

function checkBalance(ctx: CheckContext, file: string, stmt: Statement): void {
  const algo = stmt.args[0];
  if (!algo || dynamic(algo)) return;
  const v = algo.value;
  const paren = v.indexOf('(');
  const ok = paren < 0 ? BALANCE_SIMPLE.has(v) : BALANCE_PAREN.has(v.slice(0, paren)) && v.endsWith(')');
  if (!ok) {
    ctx.report(codes.badArgument, file, algo.range, BALANCE_MESSAGE);
    return;
  }
  if (v === 'hash' && !stmt.args[1]) {
    ctx.report(codes.missingArgument, file, algo.range, 'balance hash requires a sample expression.');
  }
}

function checkStatusWord(ctx: CheckContext, file: string, word: Word, context: () => string, needKnown: boolean): void {
  if (dynamic(word)) return;
  const n = /^\d+$/.test(word.value) ? Number(word.value) : 0;
  if (n < 200 || n > 599) {
    ctx.report(codes.badArgument, file, word.range, `${context()} : Unexpected status code '${n}'.`);
  } else if (needKnown && !KNOWN_ERROR_STATUSES.has(n)) {
    ctx.report(codes.badArgument, file, word.range,
      `${context()} : status code '${n}' not handled by default with 'default-errorfiles' argument.`);
  }
}

/** The actions whose arguments checkRuleArguments reads (in http-request/http-response). */
const RULE_ACTIONS_WITH_ARGUMENTS: ReadonlySet<string> = new Set(['deny', 'tarpit', 'return', 'redirect']);

function checkRuleArguments(ctx: CheckContext, sc: StatementContext, rule: RuleStatement): void {
  const name = rule.actionName;
  if (rule.ruleSet !== 'http-request' && rule.ruleSet !== 'http-response') return;
  if (name === 'deny' || name === 'tarpit' || name === 'return') {
    const args = rule.actionArgs;
    for (let i = 0; i < args.length - 1; i++) {
      const v = args[i]!.value;
      if (v === 'status' || v === 'deny_status') {
        const needKnown = name !== 'return' && !args.some((w) => BODY_OPTIONS.has(w.value));
        checkStatusWord(ctx, sc.file, args[i + 1]!, () => ruleWhere(sc, rule), needKnown);
        break;
      }
    }
    return;
  }
  if (name === 'redirect') {
    const action = rule.action!;
    checkRedirect(ctx, sc.file, rawAfter(rule, action), () => action.range, () => ruleWhere(sc, rule));
  }
}

/** How HAProxy starts its messages about a rule's arguments. */
function ruleWhere(sc: StatementContext, rule: RuleStatement): string {
  return `error detected in ${proxyTypeName(sc)} while parsing '${rule.ruleSet} ${rule.actionName}' rule`;
}

/**
 * http_parse_redirect_rule: options in any order up to `if`/`unless` (or the first empty word);
 * `location`, `prefix`, `scheme`, `code`, `set-cookie` and `clear-cookie` take a value, whatever it says.
 */
function checkRedirect(ctx: CheckContext, file: string, args: readonly Word[], anchor: () => Range, where: () => string): void {
  // The anchor and the message start are built only when reporting (most redirects are fine).
  const first = args[0];
  if (!first) {
    ctx.report(codes.missingArgument, file, anchor(), `${where()} : redirection type expected ('prefix', 'location', or 'scheme').`);
    return;
  }
  let typed = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (dynamic(w)) return;
    const v = w.value;
    if (v === '') break;
    if (v === 'location' || v === 'prefix' || v === 'scheme' || v === 'code' || v === 'set-cookie' || v === 'clear-cookie') {
      const value = args[i + 1];
      if (!value || value.value === '') {
        ctx.report(codes.missingArgument, file, w.range, `${where()} : missing argument for '${v}'.`);
        return;
      }
      if (v === 'location' || v === 'prefix' || v === 'scheme') typed = true;
      i++;
      continue;
    }
    if (v === 'drop-query' || v === 'append-slash' || v === 'ignore-empty') continue;
    if (v === 'if' || v === 'unless') break;
    ctx.report(codes.badArgument, file, w.range, `${where()} : expects ${REDIRECT_WORDS} (was '${v}').`, {
      fixes: i === 0 && (v.startsWith('/') || /^https?:/.test(v))
        ? [{ title: `Insert 'location' before '${v}'`, edits: [{ file, range: { start: w.range.start, end: w.range.start }, newText: 'location ' }] }]
        : [],
    });
    return;
  }
  if (!typed) ctx.report(codes.missingArgument, file, anchor(), `${where()} : redirection type expected ('prefix', 'location', or 'scheme').`);
}

/** Global keywords 2.6 refuses extra arguments for ("'x' cannot handle unexpected argument 'y'."), with their arity. */
const GLOBAL_ARITY: ReadonlyMap<string, number> = new Map([
  ['maxconn', 1], ['nbthread', 1], ['daemon', 0], ['pidfile', 1], ['user', 1], ['group', 1], ['chroot', 1],
  ['ulimit-n', 1], ['log-tag', 1], ['uid', 1], ['gid', 1], ['node', 1], ['localpeer', 1], ['spread-checks', 1],
  ['tune.bufsize', 1], ['tune.ssl.default-dh-param', 1],
]);

function checkStatement(ctx: CheckContext, sc: StatementContext, state: RunState): void {
  const { stmt, file, section, keyword: kw } = sc;
  if (section?.kind === 'global') {
    const arity = sc.hasModifier ? undefined : GLOBAL_ARITY.get(kw);
    if (arity !== undefined && stmt.keywordWords.length === 1) {
      if (kw === 'maxconn' && !stmt.args[0]) ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'maxconn' expects an integer argument.`);
      else tooMany(ctx, file, stmt, arity);
    }
    return;
  }
  if (!sc.inProxySection || sc.slashComment || sc.hasModifier) return;
  if (sc.type === 'rule') {
    // Decided from the visit, so the other rules' statements are not read at all.
    if (sc.action && RULE_ACTIONS_WITH_ARGUMENTS.has(sc.action.name)) checkRuleArguments(ctx, sc, stmt as RuleStatement);
    return;
  }
  if (kw.startsWith('timeout ') && stmt.keywordWords.length === 2) {
    checkTimeout(ctx, file, stmt);
    return;
  }
  switch (kw) {
    case 'bind':
      checkBind(ctx, file, stmt, state.unixBindPrefixLength());
      return;
    case 'server':
    case 'server-template':
      checkServer(ctx, sc, stmt, state);
      return;
    case 'default-server':
      checkWeight(ctx, sc, stmt, 0, state);
      return;
    case 'mode': {
      const m = stmt.args[0];
      if (m && dynamic(m)) return;
      if (m?.value === 'health') {
        ctx.report(codes.badArgument, file, m.range, "'mode health' doesn't exist anymore. Please use 'http-request return status 200' instead.");
        return;
      }
      if (!m || !['tcp', 'http'].includes(m.value)) {
        ctx.report(m ? codes.badArgument : codes.missingArgument, file, m ? m.range : wordsRange(stmt.keywordWords), `unknown proxy mode '${m?.value ?? ''}'.`);
        return;
      }
      tooMany(ctx, file, stmt, 1);
      return;
    }
    case 'balance':
      checkBalance(ctx, file, stmt);
      return;
    case 'stick-table':
      checkStickTable(ctx, file, stmt);
      return;
    case 'maxconn':
      if (!stmt.args[0]) ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'maxconn' expects an integer argument.`);
      else tooMany(ctx, file, stmt, 1);
      return;
    case 'monitor-uri':
      tooMany(ctx, file, stmt, 1);
      return;
    case 'default_backend':
      if (!stmt.args[0] || stmt.args[0].value === '') ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'default_backend' expects a backend name.`);
      else tooMany(ctx, file, stmt, 1);
      return;
    case 'errorfile': {
      const code = stmt.args[0];
      if (!code || dynamic(code)) return;
      const n = /^\d+$/.test(code.value) ? Number(code.value) : 0;
      if (!KNOWN_ERROR_STATUSES.has(n)) ctx.report(codes.badArgument, file, code.range, `errorfile : status code '${n}' not handled.`);
      return;
    }
    case 'redirect':
      checkRedirect(ctx, file, rawAfter(stmt, stmt.keywordWords[stmt.keywordWords.length - 1]!), () => wordsRange(stmt.keywordWords), () => `error detected in ${proxyTypeName(sc)} while parsing redirect rule`);
      return;
  }
}

export const argumentsCheck: Check = {
  name: 'keyword-arguments',
  run(ctx) {
    const state = new RunState(ctx.model);
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      checkStatement(ctx, sc, state);
    }
  },
};
