// Argument count and shape for the keywords where HAProxy 2.6 itself refuses a bad argument
// (each message below was produced by `haproxy -c`): bind/server arity and addresses, timeouts,
// mode, balance, maxconn, server weight, HTTP status codes of deny/tarpit/return/errorfile, and
// the redirect type. Deliberately conservative: where HAProxy accepts a sloppy value
// (`maxconn abc`, `retries abc`) nothing is reported.
import type { RuleStatement, Statement, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { isProxySection } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { forEachStatement, isSlashComment, wordsRange, type StatementContext } from './util.js';

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

/** Parses a time as HAProxy's parse_time_err does: digits, then an optional unit. */
export function parseTime(text: string): { ms: number } | { badIndex: number } {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === 0) return { badIndex: 0 };
  const value = Number(text.slice(0, i));
  const rest = text.slice(i);
  if (rest === '') return { ms: value };
  for (const unit of ['us', 'ms', 's', 'm', 'h', 'd']) {
    if (rest.startsWith(unit)) {
      if (rest.length > unit.length) return { badIndex: i + unit.length };
      return { ms: value * TIME_UNITS[unit]! };
    }
  }
  return { badIndex: i };
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
  if (extra) {
    ctx.report(codes.extraArgument, file, extra.range, `'${name}' : unexpected extra argument '${extra.value}' after value '${value.value}'.`);
  }
}

function tooMany(ctx: CheckContext, file: string, stmt: Statement, max: number): boolean {
  const extra = stmt.args[max];
  if (!extra) return false;
  ctx.report(codes.extraArgument, file, extra.range, `'${stmt.keyword}' cannot handle unexpected argument '${extra.value}'.`);
  return true;
}

interface ParsedAddress {
  host: string;
  /** Port text after the last `:`; undefined when absent. */
  port?: string;
  /** Offset of the port text inside the word's value. */
  portIndex: number;
}

/** Splits `[host]:port`; undefined for UNIX sockets, fd@, abns@ and other non-IP addresses. */
function splitAddress(text: string): ParsedAddress | undefined {
  let s = text;
  let offset = 0;
  const at = s.indexOf('@');
  if (at >= 0) {
    const proto = s.slice(0, at);
    if (!/^(ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6)$/.test(proto)) return undefined;
    s = s.slice(at + 1);
    offset = at + 1;
  }
  if (s.startsWith('/') || s.startsWith('unix@')) return undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    const host = s.slice(1, close);
    const after = s.slice(close + 1);
    if (after === '') return { host, portIndex: offset + s.length };
    if (!after.startsWith(':')) return undefined;
    return { host, port: after.slice(1), portIndex: offset + close + 2 };
  }
  const colon = s.lastIndexOf(':');
  if (colon < 0) return { host: s, portIndex: offset + s.length };
  return { host: s.slice(0, colon), port: s.slice(colon + 1), portIndex: offset + colon + 1 };
}

/** True for a dotted numeric host that is not a valid IPv4 literal (`256.0.0.1`, `1.2.3.4.5`). */
function badIPv4(host: string): boolean {
  if (!/^\d+(\.\d+)*$/.test(host)) return false;
  const parts = host.split('.');
  if (parts.length > 4) return true;
  if (parts.length < 4) return false;
  return parts.some((p) => Number(p) > 255);
}

function checkBind(ctx: CheckContext, file: string, stmt: Statement): void {
  const addr = stmt.args[0];
  if (!addr) {
    ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.`);
    return;
  }
  if (dynamic(addr)) return;
  let base = 0;
  for (const part of addr.value.split(',')) {
    const at = base;
    base += part.length + 1;
    const a = splitAddress(part);
    if (!a) continue;
    const host = a.host.includes(':') ? '' : a.host;
    if (badIPv4(host)) {
      ctx.report(codes.badArgument, file, rangeInWord(addr, at, at + a.host.length), `'bind' : invalid address: '${a.host}' in '${part}'`);
      continue;
    }
    if (a.port === undefined) {
      if (a.host.includes(':')) continue; // bare IPv6: let HAProxy decide
      ctx.report(codes.badArgument, file, rangeInWord(addr, at, at + part.length), `'bind' : missing port specification in '${part}'`);
      continue;
    }
    const portRange = rangeInWord(addr, at + a.portIndex, at + part.length);
    const m = /^(\d+)(?:-(\d+))?$/.exec(a.port);
    if (!m) {
      const bad = a.port.split('').find((c) => !/[\d-]/.test(c)) ?? a.port[0] ?? '';
      ctx.report(codes.badArgument, file, portRange, `'bind' : invalid character '${bad}' in port number '${a.port}' in '${part}'`);
      continue;
    }
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (lo < 1 || lo > 65535) {
      ctx.report(codes.badArgument, file, portRange, `'bind' : invalid port '${m[1]}'`);
    } else if (hi < 1 || hi > 65535) {
      ctx.report(codes.badArgument, file, portRange, `'bind' : invalid port '${m[2]}'`);
    } else if (hi < lo) {
      ctx.report(codes.badArgument, file, portRange, `'bind' : invalid port range '${a.port}'`);
    }
  }
}

function checkServerAddress(ctx: CheckContext, sc: StatementContext, stmt: Statement, addr: Word, serverName: string): void {
  if (dynamic(addr)) return;
  const a = splitAddress(addr.value);
  if (!a) return;
  const who = `'${stmt.keyword} ${sc.proxy?.name ?? ''}/${serverName}'`;
  if (a.port !== undefined && !a.host.includes(':')) {
    const portRange = rangeInWord(addr, a.portIndex, addr.value.length);
    if (/^\d+-\d+$/.test(a.port)) {
      ctx.report(codes.badArgument, sc.file, portRange, `${who} : port range not permitted here in '${addr.value}'`);
      return;
    }
    const m = /^[+-]?(\d+)$/.exec(a.port);
    if (!m && a.port !== '') {
      const bad = a.port.split('').find((c) => !/[\d+-]/.test(c)) ?? a.port[0]!;
      ctx.report(codes.badArgument, sc.file, portRange, `${who} : invalid character '${bad}' in port number '${a.port}' in '${addr.value}'`);
      return;
    }
    if (m && Number(m[1]) > 65535) {
      ctx.report(codes.badArgument, sc.file, portRange, `${who} : invalid port '${a.port}'`);
      return;
    }
  }
  if (badIPv4(a.host)) {
    ctx.report(codes.badArgument, sc.file, rangeInWord(addr, addr.value.indexOf(a.host), addr.value.indexOf(a.host) + a.host.length),
      `${who} : could not resolve address '${a.host}'.`);
  }
}

function checkServer(ctx: CheckContext, sc: StatementContext, stmt: Statement): void {
  const isTemplate = stmt.keyword === 'server-template';
  const need = isTemplate ? 3 : 2;
  if (stmt.args.length < need) {
    ctx.report(codes.missingArgument, sc.file, wordsRange(stmt.keywordWords),
      isTemplate ? `'server-template' expects <prefix> <nb_servers> <addr>[:<port>] as arguments.` : `'server' expects <name> and <addr>[:<port>] as arguments.`);
    return;
  }
  const name = stmt.args[0]!.value;
  checkServerAddress(ctx, sc, stmt, stmt.args[need - 1]!, name);
  checkWeight(ctx, sc, stmt, need, name);
}

function checkWeight(ctx: CheckContext, sc: StatementContext, stmt: Statement, from: number, name: string): void {
  for (let i = from; i < stmt.args.length - 1; i++) {
    if (stmt.args[i]!.value !== 'weight') continue;
    const w = stmt.args[i + 1]!;
    if (dynamic(w) || !/^\d+$/.test(w.value)) return;
    const n = Number(w.value);
    if (n > 256) {
      const who = stmt.keyword === 'server' ? `'server ${sc.proxy?.name ?? ''}/${name}' : ` : '';
      ctx.report(codes.badArgument, sc.file, w.range, `${who}weight of server ${name} is not within 0 and 256 (${n})..`);
    }
    return;
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

function checkStatusWord(ctx: CheckContext, file: string, word: Word, context: string, needKnown: boolean): void {
  if (dynamic(word)) return;
  const n = /^\d+$/.test(word.value) ? Number(word.value) : 0;
  if (n < 200 || n > 599) {
    ctx.report(codes.badArgument, file, word.range, `${context} : Unexpected status code '${n}'.`);
  } else if (needKnown && !KNOWN_ERROR_STATUSES.has(n)) {
    ctx.report(codes.badArgument, file, word.range,
      `${context} : status code '${n}' not handled by default with 'default-errorfiles' argument.`);
  }
}

function checkRuleArguments(ctx: CheckContext, sc: StatementContext, rule: RuleStatement): void {
  const name = rule.actionName;
  const where = `error detected in ${sc.proxy ? (sc.proxy.kind === 'listen' || sc.proxy.kind === 'defaults' ? `proxy '${sc.proxy.name}'` : `${sc.proxy.kind} '${sc.proxy.name}'`) : 'proxy'} while parsing '${rule.ruleSet} ${name}' rule`;
  if ((rule.ruleSet === 'http-request' || rule.ruleSet === 'http-response') && (name === 'deny' || name === 'tarpit' || name === 'return')) {
    const args = rule.actionArgs;
    const hasBody = args.some((w) => BODY_OPTIONS.has(w.value));
    for (let i = 0; i < args.length - 1; i++) {
      const v = args[i]!.value;
      if (v === 'status' || v === 'deny_status') {
        checkStatusWord(ctx, sc.file, args[i + 1]!, where, name !== 'return' && !hasBody);
        break;
      }
    }
    return;
  }
  if (name === 'redirect' && (rule.ruleSet === 'http-request' || rule.ruleSet === 'http-response')) {
    checkRedirect(ctx, sc.file, rule.actionArgs, rule.action!.range, where);
  }
}

function checkRedirect(ctx: CheckContext, file: string, args: readonly Word[], anchor: Statement['range'], where: string): void {
  const first = args[0];
  if (!first) {
    ctx.report(codes.missingArgument, file, anchor, `${where} : redirection type expected ('prefix', 'location', or 'scheme').`);
    return;
  }
  if (dynamic(first)) return;
  const v = first.value;
  if (v === 'location' || v === 'prefix' || v === 'scheme') {
    if (!args[1]) ctx.report(codes.missingArgument, file, first.range, `${where} : missing argument for '${v}'.`);
    return;
  }
  const KNOWN = ['code', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty', 'append-slash'];
  if (KNOWN.includes(v)) {
    // Options first, then the type: only an error when no type follows anywhere.
    if (!args.some((w) => w.value === 'location' || w.value === 'prefix' || w.value === 'scheme')) {
      ctx.report(codes.missingArgument, file, anchor, `${where} : redirection type expected ('prefix', 'location', or 'scheme').`);
    }
    return;
  }
  ctx.report(codes.badArgument, file, first.range, `${where} : expects ${REDIRECT_WORDS} (was '${v}').`, {
    fixes: v.startsWith('/') || /^https?:/.test(v)
      ? [{ title: `Insert 'location' before '${v}'`, edits: [{ file, range: { start: first.range.start, end: first.range.start }, newText: 'location ' }] }]
      : [],
  });
}

/** Global keywords 2.6 refuses extra arguments for ("'x' cannot handle unexpected argument 'y'."), with their arity. */
const GLOBAL_ARITY: ReadonlyMap<string, number> = new Map([
  ['maxconn', 1], ['nbthread', 1], ['daemon', 0], ['pidfile', 1], ['user', 1], ['group', 1], ['chroot', 1],
  ['ulimit-n', 1], ['log-tag', 1], ['uid', 1], ['gid', 1], ['node', 1], ['localpeer', 1], ['spread-checks', 1],
  ['tune.bufsize', 1], ['tune.ssl.default-dh-param', 1],
]);

function checkStatement(ctx: CheckContext, sc: StatementContext): void {
  const { stmt, file, section } = sc;
  if (section?.kind === 'global' && !stmt.modifier && stmt.keywordWords.length === 1) {
    const arity = GLOBAL_ARITY.get(stmt.keyword);
    if (arity !== undefined) {
      if (stmt.keyword === 'maxconn' && !stmt.args[0]) ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'maxconn' expects an integer argument.`);
      else tooMany(ctx, file, stmt, arity);
    }
    return;
  }
  if (!section || !isProxySection(section.kind) || isSlashComment(stmt) || stmt.modifier) return;
  if (stmt.type === 'rule') {
    checkRuleArguments(ctx, sc, stmt);
    return;
  }
  const kw = stmt.keyword;
  if (kw.startsWith('timeout ') && stmt.keywordWords.length === 2) {
    checkTimeout(ctx, file, stmt);
    return;
  }
  switch (kw) {
    case 'bind':
      checkBind(ctx, file, stmt);
      return;
    case 'server':
    case 'server-template':
      checkServer(ctx, sc, stmt);
      return;
    case 'default-server':
      checkWeight(ctx, sc, stmt, 0, 'default-server');
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
    case 'maxconn':
      if (!stmt.args[0]) ctx.report(codes.missingArgument, file, wordsRange(stmt.keywordWords), `'maxconn' expects an integer argument.`);
      else tooMany(ctx, file, stmt, 1);
      return;
    case 'monitor-uri':
      tooMany(ctx, file, stmt, 1);
      return;
    case 'errorfile': {
      const code = stmt.args[0];
      if (!code || dynamic(code)) return;
      const n = /^\d+$/.test(code.value) ? Number(code.value) : 0;
      if (!KNOWN_ERROR_STATUSES.has(n)) ctx.report(codes.badArgument, file, code.range, `errorfile : status code '${n}' not handled.`);
      return;
    }
    case 'redirect':
      checkRedirect(ctx, file, stmt.args, wordsRange(stmt.keywordWords), `error detected in proxy '${sc.proxy?.name ?? ''}' while parsing redirect rule`);
      return;
  }
}

export const argumentsCheck: Check = {
  name: 'keyword-arguments',
  run(ctx) {
    forEachStatement(ctx.model, (sc) => checkStatement(ctx, sc));
  },
};
