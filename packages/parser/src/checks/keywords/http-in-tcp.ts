// HTTP-only settings in a proxy whose effective mode is tcp: HAProxy 2.6 ignores them with a
// warning (wording checked with `haproxy -c`), once per proxy and kind of setting.
import type { Range, Statement } from '../../ast/nodes.js';
import { findKeyword } from '../../catalogue/index.js';
import { codes, type CodeInfo } from '../../diagnostics/codes.js';
import type { Inherited, ProxyModel } from '../../model/types.js';
import type { Check, CheckContext } from '../registry.js';
import { proxyLabel, proxyNameRange, wordsRange } from './util.js';

const RULE_KINDS = ['http-request', 'http-response', 'http-after-response'] as const;
const L7_BALANCE = /^(uri|url_param|hdr\(.*\))$/;

function optionSetting(proxy: ProxyModel, name: string): Inherited<boolean> | undefined {
  return proxy.options.get(name) ?? proxy.options.get(`option ${name}`);
}

/** Where to report a possibly inherited setting: the statement when it is the proxy's own. */
function place(proxy: ProxyModel, setting: Inherited<unknown>): { file: string; range: Range; related?: { file: string; range: Range; message: string }[] } {
  if (setting.from === proxy || setting.from.section === proxy.section) {
    return { file: proxy.section.file, range: setting.statement.range };
  }
  return {
    file: proxy.section.file,
    range: proxyNameRange(proxy),
    related: [{ file: setting.from.section.file, range: setting.statement.range, message: `inherited from here` }],
  };
}

/** Order of settings along the inheritance chain: the proxy's own lines beat inherited ones. */
function rank(proxy: ProxyModel, setting: Inherited<unknown>): number {
  let depth = 0;
  for (let p: ProxyModel | undefined = proxy; p; p = p.defaults, depth++) {
    if (setting.from === p || setting.from.section === p.section) return (1000 - depth) * 1e7 + setting.statement.line.line;
  }
  return setting.statement.line.line;
}

/** Whether a later `option tcplog`/`option httpslog`/`log-format` replaces this log format. */
function logFormatOverridden(proxy: ProxyModel, setting: Inherited<boolean>): boolean {
  const mine = rank(proxy, setting);
  for (const other of ['tcplog', 'httplog', 'httpslog']) {
    const o = optionSetting(proxy, other);
    if (o && o !== setting && o.value && rank(proxy, o) > mine) return true;
  }
  const own = proxy.statements.find((st) => st.keyword === 'log-format' && !st.modifier);
  if (own && (setting.from !== proxy || own.line.line > setting.statement.line.line)) return true;
  return false;
}

function reportAt(ctx: CheckContext, info: CodeInfo, proxy: ProxyModel, stmt: Statement, message: string): void {
  ctx.report(info, proxy.section.file, stmt.range, message);
}

function checkProxy(ctx: CheckContext, proxy: ProxyModel): void {
  const label = proxyLabel(proxy);
  for (const rs of RULE_KINDS) {
    const first = proxy.rules.get(rs)?.[0];
    if (first) reportAt(ctx, codes.httpRuleInTcpMode, proxy, first, `'${rs}' rules ignored for ${label} as they require HTTP mode.`);
  }
  const redirect = proxy.redirects[0];
  if (redirect) reportAt(ctx, codes.httpRuleInTcpMode, proxy, redirect, `'redirect' rules ignored for ${label} as they require HTTP mode.`);

  for (const opt of ['httplog', 'httpslog']) {
    const s = optionSetting(proxy, opt);
    if (!s?.value || logFormatOverridden(proxy, s)) continue;
    const p = place(proxy, s);
    ctx.report(codes.optionFallback, p.file, p.range, `'option ${opt}' not usable with ${label} (needs 'mode http'). Falling back to 'option tcplog'.`, p.related ? { related: p.related } : {});
  }
  for (const [name, setting] of proxy.options) {
    const optName = name.startsWith('option ') ? name.slice(7) : name;
    if (optName === 'httplog' || optName === 'httpslog' || !setting.value) continue;
    const spec = findKeyword(proxy.section.kind, ['option', optName])?.spec;
    if (!spec?.httpOnly || !spec.proxy) continue;
    const fits = (proxy.capabilities.frontend && spec.proxy.frontend) || (proxy.capabilities.backend && spec.proxy.backend);
    if (!fits) continue;
    const p = place(proxy, setting);
    ctx.report(codes.httpRuleInTcpMode, p.file, p.range, `'option ${optName}' ignored for ${label} as it requires HTTP mode.`, p.related ? { related: p.related } : {});
  }

  let statsDone = false;
  let captureDone = false;
  for (const stmt of proxy.statements) {
    const kw = stmt.keyword;
    if (!statsDone && kw.startsWith('stats ')) {
      statsDone = true;
      reportAt(ctx, codes.httpRuleInTcpMode, proxy, stmt, `'stats' statement ignored for ${label} as it requires HTTP mode.`);
    } else if (!captureDone && kw === 'capture cookie') {
      captureDone = true;
      reportAt(ctx, codes.httpRuleInTcpMode, proxy, stmt, `'capture' statement ignored for ${label} as it requires HTTP mode.`);
    } else if (kw === 'cookie' && !stmt.modifier) {
      reportAt(ctx, codes.httpRuleInTcpMode, proxy, stmt, `cookie will be ignored for ${label} (needs 'mode http').`);
    } else if (kw === 'monitor-uri') {
      reportAt(ctx, codes.httpRuleInTcpMode, proxy, stmt, `monitor-uri will be ignored for ${label} (needs 'mode http').`);
    }
  }
  const balance = proxy.balance;
  if (balance && proxy.capabilities.backend && L7_BALANCE.test(balance.value.algorithm)) {
    const p = place(proxy, balance);
    ctx.report(codes.httpRuleInTcpMode, p.file, p.range.start === balance.statement.range.start ? wordsRange(balance.statement.keywordWords.concat(balance.statement.args.slice(0, 1))) : p.range,
      `Layer 7 hash not possible for ${label} (needs 'mode http'). Falling back to round robin.`, p.related ? { related: p.related } : {});
  }
}

export const httpInTcpModeCheck: Check = {
  name: 'http-in-tcp-mode',
  run(ctx) {
    for (const proxy of ctx.model.proxies) {
      if (proxy.mode !== 'tcp') continue;
      // `tcp-request content switch-mode http` upgrades the stream: HTTP settings then apply.
      const upgrades = proxy.rules.get('tcp-request content')?.some((r) => r.actionName === 'switch-mode');
      if (!upgrades) checkProxy(ctx, proxy);
    }
  },
};
