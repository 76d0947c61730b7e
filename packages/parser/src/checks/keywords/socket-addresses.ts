// The addresses 2.6 reads with str2sa_range outside `bind`, `server` and `log` lines (which
// keyword-arguments and log-targets check): `stats socket`, peers `peer` and `bind`, mailers
// `mailer`, resolvers `nameserver`, log-forward `dgram-bind` and `bind`, the proxy keywords
// `source` (and its `usesrc`) and `dispatch`, the `addr` of `tcp-check connect` and
// `http-check connect`, and the `addr` and `source` options of server lines. Where each
// address stands and how HAProxy names the line in its message is the SITES table; what each
// accepts is ADDRESS_RULES (model/addresses.ts). An address built from the environment is not
// judged.
import type { Statement, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { codes } from '../../diagnostics/codes.js';
import { ADDRESS_RULES, addressProblem, listenerProblems, problemText, type AddressKeyword, type AddressProblem } from '../../model/addresses.js';
import type { Model } from '../../model/types.js';
import { optionLines } from '../option-lines.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits, type StatementContext } from './util.js';

interface Site {
  /** The kinds of section the keyword reads an address in. */
  sections: ReadonlySet<string>;
  /** The index in `args` of the address. */
  arg: number;
  rules: AddressKeyword;
  /** A comma-separated list of listening addresses (str2listener, str2receiver). */
  list?: boolean;
  /** How HAProxy starts its message about the line. */
  who: (stmt: Statement, address: Word) => string;
  /**
   * HAProxy prints its ALERT but does not refuse the file (it goes on without the listener):
   * reported as a warning, with this said after the message.
   */
  notFatal?: string;
}

/** Where each keyword has an address, and how 2.6 names the line (each checked with `haproxy -c`). */
const SITES: ReadonlyMap<string, readonly Site[]> = new Map<string, Site[]>([
  ['stats socket', [{ sections: new Set(['global']), arg: 0, rules: 'stats socket', list: true, who: () => "'stats socket'" }]],
  ['bind', [
    { sections: new Set(['peers']), arg: 0, rules: 'bind', list: true, who: (_s, a) => `'bind ${a.value}'` },
    {
      sections: new Set(['log-forward']), arg: 0, rules: 'bind', list: true, who: (_s, a) => `'bind ${a.value}'`,
      notFatal: "; HAProxy 2.6 says so as an ALERT but accepts the file and runs without this listener: fix the address",
    },
  ]],
  ['dgram-bind', [{ sections: new Set(['log-forward']), arg: 0, rules: 'dgram-bind', list: true, who: (_s, a) => `'dgram-bind ${a.value}'` }]],
  // HAProxy names a peer line "'server (null)/<name>'"; haplo says which line it is.
  ['peer', [{ sections: new Set(['peers']), arg: 1, rules: 'peer', who: (s) => `'peer ${s.args[0]?.value ?? ''}'` }]],
  ['mailer', [{ sections: new Set(['mailers']), arg: 1, rules: 'mailer', who: (s) => `'mailer ${s.args[0]?.value ?? ''}'` }]],
  ['nameserver', [{ sections: new Set(['resolvers']), arg: 1, rules: 'nameserver', who: (s) => `'nameserver ${s.args[0]?.value ?? ''}'` }]],
  ['dispatch', [{ sections: new Set(['backend', 'listen']), arg: 0, rules: 'dispatch', who: () => "'dispatch'" }]],
]);

/** The options of `tcp-check connect` and `http-check connect` with the number of values each takes. */
const CONNECT_OPTIONS: ReadonlyMap<string, number> = new Map([
  ['default', 0], ['send-proxy', 0], ['via-socks4', 0], ['ssl', 0], ['linger', 0],
  ['port', 1], ['addr', 1], ['sni', 1], ['alpn', 1], ['proto', 1], ['comment', 1],
]);

/** Values of `usesrc` that are not addresses. */
const USESRC_WORDS = /^(client|clientip|hdr_ip\(.*)$/;

const dynamic = (w: Word): boolean => (w.envRefs?.length ?? 0) > 0 || w.splitFromExpansion === true || w.value.includes('$');

/** The length of the global `unix-bind prefix <path>` (the last one written), 0 without. */
export function unixBindPrefixLength(model: Model): number {
  let length = 0;
  for (const st of model.global.statements) {
    if (st.keyword !== 'unix-bind') continue;
    const args = st.args;
    for (let i = 0; i + 1 < args.length; i++) if (args[i]!.value === 'prefix') length = args[i + 1]!.value.length;
  }
  return length;
}

function report(ctx: CheckContext, file: string, word: Word, p: AddressProblem, who: string, end: string, notFatal: string | undefined): void {
  const warning = p.warning || notFatal !== undefined;
  const text = `${who} : ${problemText(p)}${end}${p.warning ? '' : notFatal ?? ''}`;
  ctx.report(codes.badArgument, file, rangeInWord(word, p.from, p.to), text, warning ? { severity: 'warning' } : undefined);
}

/** One address word read with a keyword's rules; true when it has an error (which ends the line). */
function checkWord(
  ctx: CheckContext, file: string, word: Word, rules: AddressKeyword, who: string, list: boolean, prefixLength: number, end = '', notFatal?: string,
): boolean {
  if (dynamic(word)) return false;
  const problems = list ? listenerProblems(word.value, ADDRESS_RULES[rules], prefixLength) : [addressProblem(word.value, ADDRESS_RULES[rules], prefixLength)];
  let failed = false;
  for (const p of problems) {
    if (!p) continue;
    report(ctx, file, word, p, who, end, notFatal);
    failed ||= !p.warning;
  }
  return failed;
}

/**
 * `source <addr> [usesrc <addr>|client|clientip|hdr_ip(…)] [interface <name>]` from `at`, the
 * word `source`: the address, then the usesrc address. `who`: how the server line is named
 * before the option's own name ('' for the proxy keyword); `end`: what HAProxy ends with.
 */
function checkSource(ctx: CheckContext, file: string, args: readonly Word[], at: number, rules: AddressKeyword, who: string, end: string): void {
  const addr = args[at + 1];
  if (!addr || addr.value === '') return;
  if (checkWord(ctx, file, addr, rules, `${who}'source ${addr.value}'`, false, 0, end)) return;
  for (let i = at + 2; i + 1 < args.length; i++) {
    const v = args[i]!.value;
    if (v !== 'usesrc') continue;
    const src = args[i + 1]!;
    if (!USESRC_WORDS.test(src.value)) checkWord(ctx, file, src, 'source', `${who}'usesrc ${src.value}'`, false, 0, end);
    return;
  }
}

/** `tcp-check connect` / `http-check connect`: the value of `addr`, found by walking the options. */
function checkConnect(ctx: CheckContext, sc: StatementContext): void {
  const args = sc.stmt.args;
  for (let i = 0; i < args.length; i++) {
    const n = CONNECT_OPTIONS.get(args[i]!.value);
    if (n === undefined) return; // HAProxy stops at an unknown word (reported elsewhere)
    if (args[i]!.value === 'addr' && args[i + 1]) {
      checkWord(ctx, sc.file, args[i + 1]!, 'check addr', `'${sc.keyword}' : 'addr'`, false, 0);
      return;
    }
    i += n;
  }
}

function checkSite(ctx: CheckContext, sc: StatementContext, site: Site, prefixLength: () => number): void {
  const stmt = sc.stmt;
  const word = stmt.args[site.arg];
  if (!word || (word.value === '' && !site.list)) return;
  const prefix = ADDRESS_RULES[site.rules].unixPrefix ? prefixLength() : 0;
  checkWord(ctx, sc.file, word, site.rules, site.who(stmt, word), site.list === true, prefix, '', site.notFatal);
}

/** The `addr` and `source` options of server, server-template and default-server lines. */
function checkServerOptions(ctx: CheckContext, model: Model): void {
  const lines = optionLines(model);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.addressOptions.length === 0) continue;
    const sc = line.visit;
    const args = sc.stmt.args;
    const who = sc.keyword === 'default-server' ? '' : `'${sc.keyword} ${sc.proxy?.name ?? ''}/${args[0]?.value ?? ''}' : `;
    for (const i of line.addressOptions) {
      if (args[i]!.value === 'source') {
        checkSource(ctx, sc.file, args, i, 'server source', who, '.');
        continue;
      }
      const addr = args[i + 1];
      if (addr && checkWord(ctx, sc.file, addr, 'server addr', `${who}'addr'`, false, 0, '.')) break;
    }
  }
}

export const socketAddressesCheck: Check = {
  name: 'socket-addresses',
  run(ctx) {
    let prefix: number | undefined;
    const prefixLength = (): number => (prefix ??= unixBindPrefixLength(ctx.model));
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      if (sc.hasModifier || sc.slashComment) continue;
      if (sc.inProxySection && (sc.keyword === 'tcp-check connect' || sc.keyword === 'http-check connect')) {
        checkConnect(ctx, sc);
        continue;
      }
      if (sc.inProxySection && sc.keyword === 'source') {
        // checkSource starts from the word `source`, before its address.
        checkSource(ctx, sc.file, [sc.stmt.keywordWords[0]!, ...sc.stmt.args], 0, 'source', '', '');
        continue;
      }
      const sites = SITES.get(sc.keyword);
      if (!sites) continue;
      for (const site of sites) if (sc.section && site.sections.has(sc.section.kind)) checkSite(ctx, sc, site, prefixLength);
    }
    checkServerOptions(ctx, ctx.model);
  },
};
