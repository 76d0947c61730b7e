// What a frontend logs, read once from the model: its log format (the last of `option httplog`,
// `option httplog clf`, `option httpslog`, `option tcplog` and `log-format` along its defaults
// chain, the proxy's own lines last), `log-format-sd`, `log-tag`, `unique-id-format`, the
// logging options and its capture declarations.
import type { ProxyModel, Statement } from '@haplo/parser';
import { HTTP_CLF_LOG_FORMAT, HTTP_LOG_FORMAT, HTTPS_LOG_FORMAT, TCP_LOG_FORMAT } from './builtin-formats.js';

export interface CaptureSlot {
  /** `capture … header NAME`; undefined for a slot filled by an `http-request capture` rule. */
  header?: string;
  /** Lower-cased header name, for matching. */
  lower?: string;
  length: number;
}

export interface FrontendLogSettings {
  http: boolean;
  /** The log-format string; undefined when none applies (HAProxy's "Connect from" line). */
  format?: string;
  /** Which keyword chose it. */
  formatSource?: 'option httplog' | 'option httplog clf' | 'option httpslog' | 'option tcplog' | 'log-format';
  sdFormat?: string;
  tag?: string;
  uniqueIdFormat?: string;
  dontlognull: boolean;
  dontlogNormal: boolean;
  separateErrors: boolean;
  logasap: boolean;
  ignoreProbes: boolean;
  requestCaptures: CaptureSlot[];
  responseCaptures: CaptureSlot[];
  /** `capture cookie NAME len N`. */
  cookieCapture?: { name: string; length: number };
  /** Warnings HAProxy would print (httplog in a tcp frontend…). */
  warnings: string[];
}

/** The sections a proxy reads settings from: its defaults chain first, itself last. */
function chain(p: ProxyModel): ProxyModel[] {
  const out: ProxyModel[] = [];
  for (let q: ProxyModel | undefined = p; q; q = q.defaults) out.unshift(q);
  return out;
}

const active = (s: Statement): boolean => s.line.active;

/** The last active, unprefixed `keyword` line along the chain (own section wins). */
function lastValue(sections: readonly ProxyModel[], keyword: string): string | undefined {
  let v: string | undefined;
  for (const p of sections) for (const s of p.statements) if (active(s) && !s.modifier && s.keyword === keyword) v = s.args[0]?.value;
  return v;
}

const optionOn = (p: ProxyModel, name: string): boolean => p.options.get(name)?.value === true;

export function frontendLogSettings(p: ProxyModel): FrontendLogSettings {
  const http = p.mode === 'http';
  const sections = chain(p);
  const warnings: string[] = [];
  let format: string | undefined;
  let formatSource: FrontendLogSettings['formatSource'];
  for (const q of sections) {
    for (const s of q.statements) {
      if (!active(s) || s.modifier) continue;
      switch (s.keyword) {
        case 'option httplog':
          if (s.args[0]?.value === 'clf') [format, formatSource] = [HTTP_CLF_LOG_FORMAT, 'option httplog clf'];
          else [format, formatSource] = [HTTP_LOG_FORMAT, 'option httplog'];
          break;
        case 'option httpslog':
          [format, formatSource] = [HTTPS_LOG_FORMAT, 'option httpslog'];
          break;
        case 'option tcplog':
          [format, formatSource] = [TCP_LOG_FORMAT, 'option tcplog'];
          break;
        case 'log-format':
          [format, formatSource] = [s.args[0]?.value ?? '', 'log-format'];
          break;
      }
    }
  }
  if (!http && (formatSource === 'option httplog' || formatSource === 'option httplog clf' || formatSource === 'option httpslog')) {
    warnings.push(`'${formatSource === 'option httpslog' ? 'option httpslog' : 'option httplog'}' not usable with proxy '${p.name}' (needs 'mode http'). Falling back to 'option tcplog'.`);
    [format, formatSource] = [TCP_LOG_FORMAT, 'option tcplog'];
  }
  return {
    http,
    format,
    formatSource,
    sdFormat: lastValue(sections, 'log-format-sd'),
    tag: lastValue(sections, 'log-tag'),
    uniqueIdFormat: lastValue(sections, 'unique-id-format'),
    dontlognull: optionOn(p, 'dontlognull'),
    dontlogNormal: optionOn(p, 'dontlog-normal'),
    separateErrors: optionOn(p, 'log-separate-errors'),
    logasap: optionOn(p, 'logasap'),
    ignoreProbes: optionOn(p, 'http-ignore-probes'),
    ...captureDeclarations(p),
    warnings,
  };
}

/**
 * Capture slots in declaration order: `capture request|response header` lines, and the
 * `http-request capture … len N` rules, each of which declares a new request slot. Captures are
 * frontend-only: defaults sections cannot hold them.
 */
function captureDeclarations(p: ProxyModel): Pick<FrontendLogSettings, 'requestCaptures' | 'responseCaptures' | 'cookieCapture'> {
  const requestCaptures: CaptureSlot[] = [];
  const responseCaptures: CaptureSlot[] = [];
  let cookieCapture: FrontendLogSettings['cookieCapture'];
  const lengthAfterLen = (words: readonly { value: string }[]): number => {
    const at = words.findIndex((w) => w.value === 'len');
    const n = at >= 0 ? Number(words[at + 1]?.value) : NaN;
    return Number.isInteger(n) && n > 0 ? n : 0;
  };
  for (const s of p.statements) {
    if (!active(s) || s.modifier) continue;
    if (s.keyword === 'capture request header' || s.keyword === 'capture response header') {
      const header = s.args[0]?.value ?? '';
      const slot = { header, lower: header.toLowerCase(), length: lengthAfterLen(s.args) };
      (s.keyword === 'capture request header' ? requestCaptures : responseCaptures).push(slot);
    } else if (s.keyword === 'capture cookie') {
      cookieCapture = { name: s.args[0]?.value ?? '', length: lengthAfterLen(s.args) };
    } else if (s.type === 'rule' && s.ruleSet === 'http-request' && s.actionName === 'capture') {
      const hasId = s.actionArgs.some((w) => w.value === 'id');
      if (!hasId) requestCaptures.push({ length: lengthAfterLen(s.actionArgs) });
    }
  }
  return { requestCaptures, responseCaptures, cookieCapture };
}
