// The pattern side of ACL expressions: the `-m` method, binary fetches without one, missing
// patterns, and patterns that do not parse for the method (integers and ranges, IP addresses,
// hex bytes, regular expressions), with HAProxy's wording.
import type { AclExpr, Word } from '../../ast/nodes.js';
import { getAclKeyword, getMatchMethod, matchMethodSpecs, suggest, type SampleType } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import { isIPv6 } from '../../model/addresses.js';
import type { Check, CheckContext } from '../registry.js';
import { sampleVisits } from './expression-index.js';
import { outputType, type SampleVisit } from './walk.js';

const methodNames = matchMethodSpecs.map((m) => m.name);

/** Default method by output type. `bin`, `any` and `meth` have none (verified: `meth GET` needs -m). */
function defaultMethod(type: SampleType): string | undefined {
  switch (type) {
    case 'bool': return 'bool';
    case 'sint': return 'int';
    case 'addr': case 'ipv4': case 'ipv6': return 'ip';
    case 'str': return 'str';
    default: return undefined;
  }
}

const DOTTED_VERSION = new Set(['req.ssl_ver', 'req_ssl_ver']);

/** How HAProxy starts messages about an `acl` line (built only when reporting). */
export function aclWhere(v: SampleVisit): string {
  return v.site === 'acl' && v.stmt.type === 'acl' && v.stmt.name ? `error detected while parsing ACL '${v.stmt.name.value}' : ` : '';
}

function checkExpr(ctx: CheckContext, v: SampleVisit, acl: AclExpr): void {
  const file = v.section.file;
  const crit = acl.criterion;

  // The method: the last -m wins; an unknown one stops HAProxy.
  let method: string | undefined;
  const flags = acl.flags;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (f.flag.value !== '-m' || !f.arg) continue;
    if (!getMatchMethod(f.arg.value)) {
      const guess = suggest(f.arg.value, methodNames);
      ctx.report(
        codes.unknownMatchMethod, file, f.arg.range,
        `${aclWhere(v)}unknown matching method '${f.arg.value}' when parsing ACL expression.${guess ? ` Did you mean '${guess}'?` : ''} Methods are ${methodNames.join(', ')}.`,
        guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file, range: f.arg.range, newText: guess }] }] } : undefined,
      );
      return;
    }
    method = f.arg.value;
  }

  const kw = crit.converters.length === 0 ? getAclKeyword(crit.fetch.name) : undefined;
  const noPattern = acl.flags.length === 0 && !acl.operator && acl.values.length === 0;
  // The output type only matters without a method or without any pattern (few ACLs).
  const type = (!method && !kw) || noPattern ? outputType(crit, true) : undefined;
  let dotted = false;
  if (!method) {
    if (kw) {
      method = kw.method;
      dotted = DOTTED_VERSION.has(kw.name);
    } else if (type) {
      method = defaultMethod(type);
      if (!method) {
        ctx.report(
          codes.aclNeedsMethod, file, crit.range,
          `${aclWhere(v)}matching method must be specified first (using '-m') when using a sample fetch of this type ('${crit.fetch.name}'). Its output is ${type === 'bin' ? 'binary' : `of type '${type}'`}: add '-m found', '-m bin', '-m str', '-m sub' … (or convert it, e.g. ',hex').`,
        );
        return;
      }
    }
  }

  // No pattern at all: HAProxy warns only when nothing follows the criterion.
  if (noPattern && type !== undefined && type !== 'bool' && method !== 'bool' && method !== 'found') {
    ctx.report(
      codes.aclNoPattern, file, crit.range,
      `no pattern to match against were provided, so this ACL will never match. Add '-m found' to test for existence, '-m bool' to test an integer as a boolean, or '--' if this is intended.`,
    );
    return;
  }
  if (!method) return;
  const values = acl.values;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const message = patternError(method, value.value, dotted);
    if (message) ctx.report(codes.aclBadPattern, file, value.range, `${aclWhere(v)}${message}`);
    else if (method === 'reg') checkRegex(ctx, file, value, v);
  }
}

const INT = /^\d+$/;
const DOTTED = /^\d+(\.\d+)?$/;

function patternError(method: string, p: string, dotted: boolean): string | undefined {
  switch (method) {
    case 'int':
    case 'len': {
      // Ranges are `lo:hi` or `lo-hi`, either end may be left out (verified: `5-`, `:5`).
      const num = dotted ? DOTTED : INT;
      const parts = p.split(/[:-]/);
      if (parts.length === 1) return num.test(p) ? undefined : `'${p}' is not a ${dotted ? 'dotted number' : 'number'}.`;
      const [lo, hi] = parts as [string, string];
      const bad = parts.length > 2 || (lo === '' && hi === '') || (lo !== '' && !num.test(lo)) || (hi !== '' && !num.test(hi))
        || (!dotted && lo !== '' && hi !== '' && Number(lo) > Number(hi));
      return bad ? `'${p}' is not a valid ${dotted ? 'dotted ' : ''}number range.` : undefined;
    }
    case 'ip':
      return ipError(p);
    case 'bin': {
      const bad = /[^0-9a-fA-F]/.exec(p);
      if (bad) return `an hex digit is expected (found '${bad[0]}').`;
      if (p.length % 2) return `an even number of hex digit is expected.`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * IP patterns: only those that look like an address are checked, since HAProxy resolves host
 * names at load time (`src localhost` is valid).
 */
function ipError(p: string): string | undefined {
  const bad = `'${p}' is not a valid IPv4 or IPv6 address.`;
  if (p.includes(':')) {
    const [addr, mask, ...rest] = p.split('/');
    if (rest.length) return bad;
    if (mask !== undefined && !(INT.test(mask) && Number(mask) <= 128)) return bad;
    return isIPv6(addr!) ? undefined : bad;
  }
  if (!/^[0-9./]+$/.test(p)) return undefined;
  const [addr, mask, ...rest] = p.split('/');
  if (rest.length) return bad;
  const parts = addr!.split('.');
  if (parts.length > 4 || parts.some((x) => !INT.test(x) || Number(x) > 255)) return bad;
  if (mask !== undefined) {
    if (INT.test(mask)) return Number(mask) <= 32 ? undefined : bad;
    const m = mask.split('.');
    if (m.length !== 4 || m.some((x) => !INT.test(x) || Number(x) > 255)) return bad;
  }
  return undefined;
}

/**
 * A regex HAProxy (PCRE2) would refuse. JavaScript's RegExp differs from PCRE in many details
 * (possessive quantifiers, inline flags, \A …), so only clear structural mistakes are reported:
 * unbalanced parentheses, an unterminated character class, a trailing backslash, a quantifier
 * with nothing to repeat.
 */
export function regexError(re: string): string | undefined {
  let depth = 0;
  let inClass = false;
  let classStart = -1;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      if (i + 1 >= re.length) return `error=\\ at end of pattern, erroffset=${re.length}`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']' && i > classStart + 1 && !(i === classStart + 2 && re[classStart + 1] === '^')) inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = i;
      if (re.startsWith('[:', i) || re.startsWith('[.', i) || re.startsWith('[=', i)) continue;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return `error=unmatched closing parenthesis, erroffset=${i}`;
      depth--;
    } else if ((c === '*' || c === '+' || c === '?') && (i === 0 || re[i - 1] === '(' || re[i - 1] === '|')) {
      if (c === '?' && re[i - 1] === '(') continue; // (?:…), (?i) …
      return `error=quantifier does not follow a repeatable item, erroffset=${i}`;
    }
  }
  if (inClass) return `error=missing terminating ] for character class, erroffset=${re.length}`;
  if (depth > 0) return `error=missing closing parenthesis, erroffset=${re.length}`;
  return undefined;
}

function checkRegex(ctx: CheckContext, file: string, value: Word, v: SampleVisit): void {
  const err = regexError(value.value);
  if (err) ctx.report(codes.aclBadPattern, file, value.range, `${aclWhere(v)}regex '${value.value}' is invalid (${err}).`);
}

export const aclPatternsCheck: Check = {
  name: 'acl-patterns',
  run(ctx) {
    const samples = sampleVisits(ctx.model);
    for (let n = 0; n < samples.length; n++) {
      const v = samples[n]!;
      if (v.acl) checkExpr(ctx, v, v.acl);
    }
  },
};
