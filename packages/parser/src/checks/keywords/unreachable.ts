// Rules that can never run: an earlier rule of the same rule set in the same proxy has a final
// action (deny, reject, return, redirect, tarpit, auth, silent-drop, use-service, allow, accept,
// close, …) and no condition, so it always ends that rule set. haplo's own warning; HAProxy is
// silent. `allow`/`accept` end only their own rule set, which is exactly the scope checked here.
import type { RuleSet, RuleStatement } from '../../ast/nodes.js';
import { getAction } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { ProxyModel } from '../../model/types.js';
import type { Check } from '../registry.js';

function endsAlways(rule: RuleStatement, ruleSet: RuleSet): boolean {
  if (rule.condition || rule.modifier || !rule.action) return false;
  return getAction(ruleSet, rule.actionName)?.final === true;
}

export const unreachableRuleCheck: Check = {
  name: 'unreachable-rule',
  run(ctx) {
    const proxies: ProxyModel[] = [...ctx.model.defaults, ...ctx.model.proxies];
    for (const proxy of proxies) {
      // forEach: no `[ruleSet, rules]` array per entry.
      proxy.rules.forEach((rules, ruleSet) => {
        let ender: RuleStatement | undefined;
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i]!;
          if (ender) {
            const line = ender.line.line + 1;
            ctx.report(codes.unreachableRule, proxy.section.file, rule.range,
              `this '${ruleSet}' rule never runs: the unconditional '${ender.actionName}' on line ${line} always ends the '${ruleSet}' rules of ${proxy.kind} '${proxy.name}'`,
              { unnecessary: true, related: [{ file: proxy.section.file, range: ender.range, message: `'${ender.actionName}' without a condition ends the rule set here` }] });
            continue;
          }
          if (endsAlways(rule, ruleSet)) ender = rule;
        }
      });
    }
  },
};
