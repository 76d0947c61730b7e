// Keywords written in a proxy section whose type cannot use them, with HAProxy 2.6's severity
// and wording (every case below was run through `haproxy -c`): some are fatal (`server` in a
// frontend, `bind` in defaults, rules in an anonymous defaults), most are warnings saying the
// keyword is ignored, and a few are silently ignored (no diagnostic).
import type { KeywordSpec } from '../../catalogue/types.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { proxyLabel, statementVisits, wordsRange, type StatementContext } from './util.js';

type Verdict = { fatal: boolean; message: string } | undefined;

/** How HAProxy names the keyword in "not allowed" messages (`capture request header` → `capture request`). */
function shortName(spec: KeywordSpec): string {
  const parts = spec.name.split(' ');
  switch (parts[0]) {
    case 'capture': return parts.length > 2 ? parts.slice(0, 2).join(' ') : spec.name;
    case 'monitor':
    case 'stick':
      return parts[0];
    case 'stats': return spec.name === 'stats admin' ? spec.name : 'stats';
    default: return spec.name;
  }
}

function inDefaults(spec: KeywordSpec, anonymous: boolean): Verdict {
  const p = spec.proxy!;
  const first = spec.name.split(' ')[0]!;
  if (p.defaults === 'no') {
    switch (spec.name) {
      case 'declare capture': return { fatal: true, message: `'declare' not available in default section` };
      case 'filter': return { fatal: true, message: `filter is not allowed in a 'default' section.` };
      case 'stick-table': return { fatal: true, message: `'stick-table' is not supported in 'defaults' section.` };
      case 'use-fcgi-app': return { fatal: true, message: `'use-fcgi-app' only available in backend or listen section` };
      default: return { fatal: true, message: `'${shortName(spec)}' not allowed in 'defaults' section.` };
    }
  }
  if (p.defaults === 'named' && anonymous) {
    if (first === 'tcp-request') return { fatal: true, message: `${spec.name} is not allowed in anonymous 'defaults' sections` };
    if (first === 'tcp-response') return { fatal: true, message: `${spec.name} is only allowed in 'backend' sections or 'defaults' section with a name` };
    return { fatal: true, message: `'${first}' not allowed in anonymous 'defaults' section.` };
  }
  return undefined;
}

function inFrontend(spec: KeywordSpec, label: string): Verdict {
  const first = spec.name.split(' ')[0]!;
  const cap = `because ${label} has no backend capability`;
  switch (spec.name) {
    case 'server':
    case 'server-template':
    case 'default-server':
      return { fatal: true, message: `'${spec.name}' not allowed ${cap}.` };
    case 'retry-on':
    case 'use-fcgi-app':
      return { fatal: true, message: `'${spec.name}' only available in backend or listen section` };
    case 'tcp-response content':
    case 'tcp-response inspect-delay':
      return { fatal: true, message: `${spec.name} is only allowed in 'backend' sections or 'defaults' section with a name` };
    case 'srvtcpka-cnt':
    case 'srvtcpka-idle':
    case 'srvtcpka-intvl':
    case 'max-keep-alive-queue':
      return { fatal: false, message: `${spec.name} will be ignored ${cap}` };
    case 'fullconn':
      return { fatal: false, message: `'fullconn' ignored ${cap}. Maybe you want 'maxconn' instead ?` };
    // Accepted silently by 2.6.
    case 'persist rdp-cookie':
    case 'transparent':
    case 'external-check command':
    case 'external-check path':
    case 'option external-check':
      return undefined;
  }
  if (first === 'timeout') return { fatal: false, message: `'${spec.name}' will be ignored ${cap}` };
  if (first === 'option') return { fatal: false, message: `'${spec.name.slice(7)}' ignored ${cap}.` };
  return { fatal: false, message: `'${first}' ignored ${cap}.` };
}

function inBackend(spec: KeywordSpec, label: string, proxyName: string): Verdict {
  const first = spec.name.split(' ')[0]!;
  const cap = `because ${label} has no frontend capability`;
  switch (spec.name) {
    case 'declare capture':
      return { fatal: true, message: `'declare' only available in frontend or listen section` };
    case 'tcp-request connection':
    case 'tcp-request session':
      return { fatal: true, message: `${spec.name} is not allowed because backend ${proxyName} is not a frontend` };
    case 'clitcpka-cnt':
    case 'clitcpka-idle':
    case 'clitcpka-intvl':
    case 'rate-limit sessions':
      return { fatal: false, message: `${spec.name} will be ignored ${cap}` };
    case 'error-log-format':
    case 'log-format':
    case 'log-format-sd':
    case 'option httplog':
    case 'option httpslog':
      return { fatal: false, message: `${label} : '${spec.name}' directive is ignored in backends.` };
    case 'maxconn':
      return { fatal: false, message: `'maxconn' ignored ${cap}. Maybe you want 'fullconn' instead ?` };
    // Accepted silently by 2.6.
    case 'unique-id-format':
    case 'unique-id-header':
      return undefined;
  }
  if (first === 'timeout') return { fatal: false, message: `'${spec.name}' will be ignored ${cap}` };
  if (first === 'option') return { fatal: false, message: `'${spec.name.slice(7)}' ignored ${cap}.` };
  return { fatal: false, message: `'${first}' ignored ${cap}.` };
}

function verdict(sc: StatementContext, spec: KeywordSpec): Verdict {
  const p = spec.proxy;
  const section = sc.section!;
  if (!p) return undefined;
  switch (section.kind) {
    case 'defaults': return inDefaults(spec, !section.name);
    case 'frontend': return p.frontend || !sc.proxy ? undefined : inFrontend(spec, proxyLabel(sc.proxy));
    case 'backend': return p.backend || !sc.proxy ? undefined : inBackend(spec, proxyLabel(sc.proxy), sc.proxy.name);
    default: return undefined;
  }
}

export const placementCheck: Check = {
  name: 'keyword-placement',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      // `spec` is only set for statements of a section with keyword words.
      const { stmt, spec, file } = sc;
      if (!sc.inProxySection || sc.slashComment || !spec?.proxy) continue;
      const v = verdict(sc, spec);
      if (!v) continue;
      ctx.report(v.fatal ? codes.keywordNotAllowed : codes.keywordIgnored, file, wordsRange(stmt.keywordWords), v.message);
    }
  },
};
