// Proxy-level declarations: two proxies sharing a name where HAProxy refuses it, two
// servers of a proxy sharing a name, `from` naming no defaults section, and a named defaults
// section with rules inherited by both frontends and backends (or by a listen).
import type { RuleSet } from '../../ast/nodes.js';
import { codes } from '../../diagnostics/codes.js';
import type { ProxyModel } from '../../model/types.js';
import type { Check } from '../registry.js';
import { everyLineActive } from '../statement-visits.js';
import { at, proxyKindWord } from './util.js';

const duplicateProxies: Check = {
  name: 'duplicate-proxies',
  run(ctx) {
    const byName = new Map<string, ProxyModel[]>();
    for (const p of ctx.model.proxies) {
      if (!p.nameWord || !p.section.header.active) continue;
      const earlier = byName.get(p.name);
      if (!earlier) {
        byName.set(p.name, [p]);
        continue;
      }
      // HAProxy looks a new frontend or listen up among frontend-capable proxies only, and a new
      // backend among backend-capable ones: `listen x` after `backend x` is accepted, the
      // reverse is not (2.6 cfgparse-listen.c, proxy_fe_by_name / proxy_be_by_name).
      const first = p.capabilities.frontend
        ? earlier.find((e) => e.capabilities.frontend)
        : earlier.find((e) => e.capabilities.backend);
      earlier.push(p);
      if (!first || !first.nameWord) continue;
      ctx.report(
        codes.duplicateProxy, p.section.file, p.nameWord.range,
        `${proxyKindWord(p)} '${p.name}' has the same name as ${proxyKindWord(first)} '${first.name}' declared at ${at(first.section.file, first.nameWord.range)}.`,
        { related: [{ file: first.section.file, range: first.nameWord.range, message: `${first.kind} '${first.name}' is declared here` }] },
      );
    }
  },
};

const duplicateServers: Check = {
  name: 'duplicate-servers',
  run(ctx) {
    for (const p of ctx.model.proxies) {
      if (p.servers.length < 2) continue;
      // Server lines need not be read for their activity in a file without directives.
      const allActive = everyLineActive(ctx.model, p.section.file);
      const seen = new Map<string, ProxyModel['servers'][number]>();
      for (const s of p.servers) {
        if (s.template || !s.name || !(allActive || s.statement.line.active)) continue;
        const first = seen.get(s.name);
        if (!first) {
          seen.set(s.name, s);
          continue;
        }
        ctx.report(
          codes.duplicateServer, p.section.file, s.nameWord.range,
          `${proxyKindWord(p)} '${p.name}', another server named '${s.name}' was already defined at line ${first.nameWord.range.start.line + 1}, please use distinct names.`,
          { related: [{ file: p.section.file, range: first.nameWord.range, message: `server '${s.name}' is first declared here` }] },
        );
      }
    }
  },
};

const unknownDefaults: Check = {
  name: 'unknown-defaults',
  run(ctx) {
    const refs = ctx.model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.kind !== 'defaults' || ref.target || !ref.name) continue;
      const section = 'header' in ref.node ? ref.node : undefined;
      const kind = section?.kind ?? 'proxy';
      const name = section?.name?.value ?? '';
      const exists = ctx.model.defaults.find((d) => d.name === ref.name);
      const note = exists
        ? ` A defaults section '${ref.name}' exists but is written after this ${kind}; move it above.`
        : '';
      ctx.report(codes.unknownDefaults, ref.file, ref.range, `defaults section '${ref.name}' not found for ${kind} '${name}'.${note}`);
    }
  },
};

const RULE_SETS_WITH_RULES: ReadonlySet<RuleSet> = new Set<RuleSet>([
  'http-request', 'http-response', 'http-after-response', 'tcp-request connection', 'tcp-request session',
  'tcp-request content', 'tcp-response content',
]);

function definesRules(d: ProxyModel): boolean {
  for (const [rs, rules] of d.rules) if (RULE_SETS_WITH_RULES.has(rs) && rules.some((r) => r.line.active)) return true;
  return false;
}

const sharedRuleDefaults: Check = {
  name: 'shared-rule-defaults',
  run(ctx) {
    const sides = new Map<ProxyModel, 'frontend' | 'backend'>();
    for (const p of ctx.model.proxies) {
      const d = p.defaults;
      if (!d || !d.name || !definesRules(d) || !d.nameWord) continue;
      const headerRange = p.nameWord?.range ?? p.section.keyword.range;
      const related = [{ file: d.section.file, range: d.nameWord.range, message: `defaults '${d.name}' defines TCP/HTTP rules` }];
      if (p.kind === 'listen') {
        ctx.report(codes.sharedRuleDefaults, p.section.file, headerRange, `a listen section cannot inherit from a defaults section defining TCP/HTTP rules (defaults '${d.name}' at ${d.section.file}:${d.section.header.line + 1}).`, { related });
        continue;
      }
      const side = p.kind === 'frontend' ? 'frontend' : 'backend';
      const first = sides.get(d);
      if (!first) sides.set(d, side);
      else if (first !== side) {
        ctx.report(
          codes.sharedRuleDefaults, p.section.file, headerRange,
          `frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP rules (defaults section at ${d.section.file}:${d.section.header.line + 1}).`,
          { related },
        );
      }
    }
  },
};

export const proxyChecks: Check[] = [duplicateProxies, duplicateServers, unknownDefaults, sharedRuleDefaults];
