// Variable names need a scope: `var(txn.x)`, `set-var(req.y)`, `unset-var(sess.z)`, and the
// integer-or-variable arguments of arithmetic converters (`add(txn.n)`).
import type { Range, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits } from '../statement-visits.js';
import { sampleVisits } from './expression-index.js';
import { inSection } from './walk.js';

const SCOPES = ['proc', 'sess', 'txn', 'req', 'res', 'check'];
const SCOPE_RE = /^(proc|sess|txn|req|res|check)\.[^.]/;
/** Converters whose argument is an integer or a variable name. */
const INT_OR_VAR = new Set(['add', 'sub', 'mul', 'div', 'mod', 'and', 'or', 'xor']);
const VAR_ACTIONS = new Set(['set-var', 'set-var-fmt', 'unset-var']);

function isCheckKeyword(word: string): boolean {
  return word === 'tcp-check' || word === 'http-check';
}

export function isValidVariableName(name: string): boolean {
  return SCOPE_RE.test(name);
}

function message(name: string): string {
  const dot = name.indexOf('.');
  const scope = dot > 0 ? name.slice(0, dot) : name;
  const hint = SCOPES.includes(scope) && dot < 0
    ? ` Write '${scope}.<name>'.`
    : dot < 0 ? ` Write 'txn.${name}' for a variable of the transaction.` : '';
  return `invalid variable name '${name}'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'.${hint}`;
}

/** `set-var(txn.x,ifexists)` → `txn.x`, or undefined without parentheses. */
function parenVariable(word: Word): string | undefined {
  const open = word.value.indexOf('(');
  if (open < 0) return undefined;
  return firstParenArg(word.value, open).trim();
}

/** The first comma-separated part inside the parentheses opened at `open`, untrimmed. */
function firstParenArg(value: string, open: number): string {
  const close = value.lastIndexOf(')');
  const inner = value.slice(open + 1, close > open ? close : undefined);
  return inner.split(',')[0]!;
}

/** The range of that first part inside the word (built only when reporting). */
function parenVariableRange(word: Word): Range {
  const open = word.value.indexOf('(');
  return rangeInWord(word, open + 1, open + 1 + firstParenArg(word.value, open).length);
}

export const variablesCheck: Check = {
  name: 'variable-names',
  run(ctx: CheckContext) {
    const visits = statementVisits(ctx.model);
    for (let i = 0; i < visits.length; i++) {
      const v = visits[i]!;
      // A rule whose known action is no variable action is skipped without reading it.
      if (v.type === 'rule' ? v.action !== undefined && !VAR_ACTIONS.has(v.action.name) : !isCheckKeyword(v.head)) continue;
      if (!inSection(v)) continue;
      const { stmt, section } = v;
      // set-var(…) on rules, and `tcp-check set-var(…)` / `http-check set-var(…)` keywords.
      let actionWord: Word | undefined;
      if (stmt.type === 'rule') {
        if (VAR_ACTIONS.has(stmt.actionName)) actionWord = stmt.action;
      } else if (/^(un)?set-var(-fmt)?\(/.test(stmt.keywordWords[1]?.value ?? '')) {
        actionWord = stmt.keywordWords[1];
      }
      if (actionWord) {
        const name = parenVariable(actionWord);
        if (name !== undefined && !isValidVariableName(name)) ctx.report(codes.badVariableName, section.file, parenVariableRange(actionWord), message(name));
      }
    }
    const samples = sampleVisits(ctx.model);
    for (let n = 0; n < samples.length; n++) {
      const s = samples[n]!;
      const f = s.expr.fetch;
      if (f.name === 'var' && f.args && f.args[0] && !isValidVariableName(f.args[0].value)) {
        ctx.report(codes.badVariableName, s.section.file, f.args[0].range, `invalid args in fetch method 'var' : ${message(f.args[0].value)}`);
      }
      const convs = s.expr.converters;
      for (let i = 0; i < convs.length; i++) {
        const c = convs[i]!;
        if (!INT_OR_VAR.has(c.name) || !c.args?.[0]) continue;
        const a = c.args[0];
        if (/^[-+]?\d+$/.test(a.value) || isValidVariableName(a.value)) continue;
        ctx.report(
          codes.badVariableName, s.section.file, a.range,
          `invalid args in converter '${c.name}' : expects an integer or a variable name; '${a.value}' is neither (a variable needs a scope: 'proc', 'sess', 'txn', 'req', 'res' or 'check').`,
        );
      }
    }
  },
};
