// Unknown sample fetches and converters, with HAProxy's wording for each place they stand in,
// a "did you mean", and the 2.6 gotchas: ACL keyword derivatives that do not exist
// (`req.hdr_beg`) and predefined ACL names used as a criterion (`acl x METH_GET`).
import type { SampleCall } from '../../ast/nodes.js';
import {
  aclKeywordSpecs, converterSpecs, fetchSpecs, getAclKeyword, getConverter, getFetch, getMatchMethod, getPredefinedAcl,
  suggest,
} from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Check, CheckContext } from '../registry.js';
import { sampleVisits } from './expression-index.js';
import { isAclSite, isKnownFetchName, type SampleVisit } from './walk.js';

const fetchNames = fetchSpecs.map((f) => f.name);
const fetchAndAclNames = [...fetchNames, ...aclKeywordSpecs.map((k) => k.name)];
const converterNames = converterSpecs.map((c) => c.name);

/** Actions whose sample argument may also be a plain number or time (`set-timeout server 5s`). */
const NUMBER_OR_SAMPLE = new Set(['set-timeout', 'sc-set-gpt', 'sc-set-gpt0']);

function callText(call: SampleCall): string {
  return call.args ? `${call.name}(${call.args.map((a) => a.value).join(',')})` : call.name;
}

/** `req.hdr_beg` → `{ fetch: 'req.hdr', method: 'beg' }` when the fetch exists and the method does. */
function splitDerivative(name: string): { fetch: string; method: string } | undefined {
  const i = name.lastIndexOf('_');
  if (i <= 0) return undefined;
  const fetch = name.slice(0, i);
  const method = name.slice(i + 1);
  if (!getMatchMethod(method) || !getFetch(fetch)) return undefined;
  return { fetch, method };
}

/** The ACL keyword standing for `fetch -m method`, if 2.6 registers one (`hdr_beg` for req.hdr/beg). */
function derivativeKeyword(fetch: string, method: string): string | undefined {
  for (const k of aclKeywordSpecs) if (k.fetch === fetch && k.method === method && k.name.endsWith(`_${method}`)) return k.name;
  return undefined;
}

function unknownFetchMessage(v: SampleVisit, name: string): string {
  if (isAclSite(v.site)) return `unknown fetch method '${name}' in ACL expression '${v.expr.text}'.`;
  if (v.site === 'log-format') return `failed to parse sample expression <${v.expr.text}]> : unknown fetch method '${name}'.`;
  return `unknown fetch method '${name}'.`;
}

function checkFetch(ctx: CheckContext, v: SampleVisit): void {
  const call = v.expr.fetch;
  const name = call.name;
  const acl = isAclSite(v.site);
  if (v.fetch || isKnownFetchName(name, acl)) return;
  if (v.site === 'sample' && v.stmt.type === 'rule' && NUMBER_OR_SAMPLE.has(v.stmt.actionName) && /^[-+0-9]/.test(name)) return;
  const file = v.section.file;
  const base = unknownFetchMessage(v, name);

  if (acl && getPredefinedAcl(name)) {
    ctx.report(
      codes.predefinedAclAsFetch, file, call.nameRange,
      `${base} '${name}' is a predefined ACL, not a fetch: use it directly in a condition ('if ${name}') instead of declaring an ACL with it.`,
    );
    return;
  }

  const d = splitDerivative(name);
  if (d) {
    const args = call.args ? `(${call.args.map((a) => a.value).join(',')})` : '';
    const kw = acl ? derivativeKeyword(d.fetch, d.method) : undefined;
    const alternatives = [kw ? `'${kw}${args}'` : undefined, `'${d.fetch}${args} -m ${d.method}'`].filter(Boolean).join(' or ');
    const fixes: Fix[] = [];
    if (kw) fixes.push({ title: `Use '${kw}'`, edits: [{ file, range: call.nameRange, newText: kw }] });
    if (acl && v.expr.converters.length === 0 && v.acl && !v.acl.method) {
      fixes.push({
        title: `Use '${d.fetch}${args} -m ${d.method}'`,
        edits: [{ file, range: call.range, newText: `${d.fetch}${args} -m ${d.method}` }],
      });
    }
    ctx.report(
      codes.unknownFetch, file, call.nameRange,
      acl
        ? `${base} HAProxy 2.6 has no '${name}' keyword; write ${alternatives}.`
        : `${base} '${d.method}' is a match method, which only ACLs have; use '${d.fetch}${args}'.`,
      { fixes },
    );
    return;
  }

  const guess = suggest(name, acl ? fetchAndAclNames : fetchNames);
  ctx.report(
    codes.unknownFetch, file, call.nameRange,
    guess ? `${base} Did you mean '${guess}'?` : base,
    guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file, range: call.nameRange, newText: guess }] }] } : undefined,
  );
}

function checkConverters(ctx: CheckContext, v: SampleVisit): void {
  const convs = v.expr.converters;
  for (let i = 0; i < convs.length; i++) {
    const conv = convs[i]!;
    if (getConverter(conv.name)) continue;
    const file = v.section.file;
    let base: string;
    if (isAclSite(v.site)) base = `ACL keyword '${v.expr.fetch.name}' : unknown converter '${conv.name}'.`;
    else if (v.site === 'log-format') base = `failed to parse sample expression <${v.expr.text}]> : unknown converter '${conv.name}'.`;
    else base = `unknown converter '${conv.name}'.`;
    // A fetch written as a converter is a common slip (`path,req.hdr(x)`).
    const isFetch = getFetch(conv.name) !== undefined || getAclKeyword(conv.name) !== undefined;
    const guess = isFetch ? undefined : suggest(conv.name, converterNames);
    const message = isFetch
      ? `${base} '${callText(conv)}' is a sample fetch; a converter follows a fetch after a comma.`
      : guess ? `${base} Did you mean '${guess}'?` : base;
    ctx.report(
      codes.unknownConverter, file, conv.nameRange, message,
      guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file, range: conv.nameRange, newText: guess }] }] } : undefined,
    );
  }
}

export const unknownNamesCheck: Check = {
  name: 'unknown-fetches-and-converters',
  run(ctx) {
    const samples = sampleVisits(ctx.model);
    for (let n = 0; n < samples.length; n++) {
      const v = samples[n]!;
      checkFetch(ctx, v);
      checkConverters(ctx, v);
    }
  },
};
