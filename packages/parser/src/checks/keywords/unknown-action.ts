// Actions of http-request, http-response, http-after-response, tcp-request * and tcp-response
// content rules: missing, unknown (with a "did you mean" that may merge the next word, so
// `set header` becomes `set-header`), or known but refused in this rule set.
import type { RuleSet, RuleStatement } from '../../ast/nodes.js';
import { actionNames, getAction, getRejectedAction, RULE_SETS } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { replacedRange, suggestWords } from './suggest-words.js';
import { replaceFix, statementVisits, wordsRange } from './util.js';

const candidateCache = new Map<RuleSet, Set<string>>();
function candidates(ruleSet: RuleSet): Set<string> {
  let s = candidateCache.get(ruleSet);
  if (!s) candidateCache.set(ruleSet, (s = new Set(actionNames(ruleSet))));
  return s;
}

/** Reports a rule without an action, or whose action this rule set does not know. */
function checkRule(ctx: CheckContext, file: string, rule: RuleStatement): void {
  const action = rule.action;
  if (!action) {
    ctx.report(codes.missingArgument, file, wordsRange(rule.keywordWords), `'${rule.ruleSet}' expects an action (for example ${[...candidates(rule.ruleSet)].slice(0, 4).map((a) => `'${a}'`).join(', ')}, …) but got nothing`);
    return;
  }
  const rejected = getRejectedAction(rule.ruleSet, rule.actionName);
  if (rejected) {
    ctx.report(codes.unknownAction, file, action.range, `'${rule.actionName}' is not allowed in '${rule.ruleSet}' rules`);
    return;
  }
  const elsewhere = RULE_SETS.filter((rs) => rs !== rule.ruleSet && getAction(rs, rule.actionName));
  if (elsewhere.length > 0) {
    ctx.report(codes.unknownAction, file, action.range,
      `'${rule.ruleSet}' has no action '${rule.actionName}'; it is only available in ${elsewhere.map((rs) => `'${rs}'`).join(', ')} rules`);
    return;
  }
  // Keep a parenthesised argument (`set-varr(txn.x)` → `set-var(txn.x)`).
  const paren = action.value.indexOf('(');
  const words = [action, ...rule.actionArgs, ...(rule.condition ? [] : [])];
  const bare = paren > 0 ? { ...action, value: action.value.slice(0, paren) } : action;
  const s = suggestWords([bare, ...words.slice(1)], candidates(rule.ruleSet));
  const suffix = paren > 0 && s?.count === 1 ? action.text.slice(action.text.indexOf('(')) : '';
  const fixes = s ? [replaceFix(`Replace with '${s.text}'`, file, replacedRange(words, s.count), s.text + suffix)] : [];
  ctx.report(codes.unknownAction, file, s ? replacedRange(words, s.count) : action.range,
    `unknown action '${rule.actionName}' for '${rule.ruleSet}'` + (s ? `; did you mean '${s.text}' maybe ?` : ''), { fixes });
}

export const unknownActionCheck: Check = {
  name: 'unknown-action',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      // `sc.action` is the rule's known action: nothing to report then.
      if (sc.type !== 'rule' || sc.action || !sc.inProxySection || sc.slashComment) continue;
      checkRule(ctx, sc.file, sc.stmt as RuleStatement);
    }
  },
};
