// Turns one tokenized line into a structured statement: keyword words (with `no`/`default`),
// arguments, the action of a rule, ACL declarations, conditions, and the sample expressions and
// log-format strings inside arguments. Which words form a keyword, which keywords take a
// condition and which arguments are expressions is catalogue data, not grammar.
import type {
  AclStatement, AnonymousAclTerm, Condition, Line, RuleSet, RuleStatement, SectionKind, Statement, Word,
} from '../ast/nodes.js';
import { rangeInWord, sliceOrEmpty } from '../ast/ranges.js';
import { NONE, StatementNode } from './nodes-impl.js';
import type { ArgSpec, KeywordSpec } from '../catalogue/types.js';
import {
  actionArity, findKeyword, getAction, keywordNamed, keywordWordCount, opensKeywordFamily, ruleSetNamed, ruleSetOf,
} from '../catalogue/index.js';
import { codes, type CodeInfo } from '../diagnostics/codes.js';
import type { Range } from '../ast/nodes.js';
import { parseAclExpression, type AclExprError } from '../grammar/acl-expression.js';
import { readCondition } from '../grammar/condition-parser.js';
import { parseLogFormat } from '../grammar/log-format.js';
import { parseSampleExpression } from '../grammar/sample-expression.js';
import { intern } from '../lexer/intern.js';

/** Reports a syntax problem found while structuring a statement. */
export type Report = (info: CodeInfo, range: Range, message: string) => void;

const MODIFIERS = new Set(['no', 'default']);

export function buildStatement(line: Line, section: SectionKind | undefined, report: Report): Statement {
  const words = line.words;
  let k = 0;
  let modifier: Word | undefined;
  if (words.length > 1 && MODIFIERS.has(words[0]!.value)) {
    modifier = words[0];
    k = 1;
  }
  const head = resolveKeyword(words, k, section);
  const exact = head.exact;
  // The arguments start here; every list below is sliced from the line's words once, with no
  // intermediate copy.
  const argsFrom = k + head.count;
  const keywordWords = head.count === 1 ? [words[k]!] : words.slice(k, argsFrom);
  const joinedKeyword = head.joined;
  // A known keyword shares the catalogue's own name string (cheaper to keep and to compare).
  const keyword = exact && exact.name === joinedKeyword ? exact.name : joinedKeyword;

  if (keyword === 'acl') {
    const acl = new StatementNode('acl', line, keywordWords, keyword, modifier, sliceOrEmpty(words, argsFrom), undefined);
    return buildAcl(withSpec(acl, exact) as unknown as AclStatement, report);
  }

  const ruleSet = head.ruleSet;
  if (ruleSet) {
    const action = words[argsFrom];
    const paren = action ? action.value.indexOf('(') : -1;
    const actionName = !action ? '' : paren < 0 ? action.value : intern(action.value, 0, paren);
    // The action's parser takes its arguments whatever they say (`del-header if x` deletes the
    // header `if`); the condition can only start after them.
    const arity = action ? actionArity(ruleSet, actionName, valuesUntilEmpty(words, argsFrom + 1)) : undefined;
    const at = conditionStart(words, argsFrom + 1 + (arity ?? 0));
    const condition = at < 0 ? undefined : buildCondition(words, at, report);
    const argsTo = at < 0 ? words.length : at;
    const rule = withSpec(new StatementNode('rule', line, keywordWords, keyword, modifier, sliceOrEmpty(words, argsFrom, argsTo), condition), exact) as unknown as RuleStatement;
    rule.ruleSet = ruleSet;
    rule.action = action;
    rule.actionName = actionName;
    rule.actionArgs = sliceOrEmpty(words, argsFrom + 1, argsTo);
    const spec = action ? getAction(ruleSet, actionName) : undefined;
    collectExpressions(rule, spec?.args, 1, report);
    return rule;
  }

  const spec = head.found;
  const at = spec?.condition ? conditionStart(words, argsFrom) : -1;
  const condition = at < 0 ? undefined : buildCondition(words, at, report);
  const args = sliceOrEmpty(words, argsFrom, at < 0 ? words.length : at);
  const stmt = withSpec(new StatementNode('statement', line, keywordWords, keyword, modifier, args, condition), exact) as unknown as Statement;
  collectExpressions(stmt, spec?.args, 0, report);
  return stmt;
}

/** Which leading words name a statement's keyword, and what the catalogue knows of it. */
interface KeywordHead {
  /** How many words form the keyword. */
  count: number;
  /** Those words' values joined with one space. */
  joined: string;
  /** The longest known keyword the leading words start with (it may be shorter than `count`). */
  found: KeywordSpec | undefined;
  /** The catalogue entry the keyword words name exactly, inside a section. */
  exact: KeywordSpec | undefined;
  ruleSet: RuleSet | undefined;
}

/** Resolves the keyword starting at `words[k]`. */
function resolveKeyword(words: readonly Word[], k: number, section: SectionKind | undefined): KeywordHead {
  const first = words[k]!.value;
  // Nine lines in ten start with a keyword of one word that opens no family (`server`, `acl`,
  // `http-request`): one lookup, no list of leading values, no joined string.
  if (!opensKeywordFamily(section, first)) {
    const found = keywordNamed(section, first);
    return { count: 1, joined: first, found, exact: section !== undefined ? found : undefined, ruleSet: ruleSetNamed(first) };
  }
  // Keywords are at most four words long (`capture request header`, `tcp-request content …`).
  const values = words.slice(k, k + 4).map((w) => w.value);
  const match = findKeyword(section, values);
  const count = Math.max(1, Math.min(match ? match.wordCount : keywordWordCount(section, values), values.length));
  const exact = section !== undefined && match !== undefined && match.wordCount === count ? match.spec : undefined;
  const joined = count === 1 ? values[0]! : values.slice(0, count).join(' ');
  return { count, joined, found: match?.spec, exact, ruleSet: ruleSetOf(values.slice(0, count)) };
}

function buildAcl(stmt: AclStatement, report: Report): AclStatement {
  stmt.name = stmt.args[0];
  if (stmt.args.length < 2) return stmt;
  const parsed = parseAclExpression(stmt.args, 1);
  stmt.expr = parsed.expr;
  if (parsed.expr) addTo(stmt, 'samples', { argIndex: 1, expr: parsed.expr.criterion });
  reportAclErrors(parsed.errors, report);
  return stmt;
}

function reportAclErrors(errors: AclExprError[], report: Report): void {
  for (const e of errors) {
    const range = e.sample ? rangeInWord(e.word, e.sample.from, e.sample.to) : e.word.range;
    const info = e.sample ? codes.sampleSyntax : e.message.includes('valid ACL option') ? codes.aclBadFlag : codes.conditionSyntax;
    report(info, range, e.sample ? `in '${e.word.value}': ${e.message}` : e.message);
  }
}

function withSpec(stmt: StatementNode, spec: StatementNode['keywordSpec']): StatementNode {
  stmt.keywordSpec = spec;
  return stmt;
}

/** The values of `words` from `from`, up to the first empty word (where HAProxy's argument list ends). */
function valuesUntilEmpty(words: readonly Word[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < words.length && words[i]!.value !== ''; i++) out.push(words[i]!.value);
  return out;
}

/** Index of the first `if`/`unless` word at or after `from`, or -1. */
function conditionStart(words: readonly Word[], from: number): number {
  for (let i = from; i < words.length; i++) {
    const v = words[i]!.value;
    if (v === 'if' || v === 'unless') return i;
  }
  return -1;
}

const NO_ANONYMOUS_ACLS: readonly [AnonymousAclTerm, Word[]][] = [];

/** Parses the condition that starts at `words[at]`, with the anonymous ACLs inside it. */
function buildCondition(words: readonly Word[], at: number, report: Report): Condition {
  const parsed = readCondition(words, at);
  if (parsed.errors) for (const e of parsed.errors) report(codes.conditionSyntax, e.range, e.message);
  for (const [term, acl] of parsed.anonymousWords ?? NO_ANONYMOUS_ACLS) {
    if (acl.length === 0) {
      report(codes.conditionSyntax, term.range, `empty anonymous ACL: write a criterion between '{' and '}'`);
      continue;
    }
    const expr = parseAclExpression(acl);
    term.expr = expr.expr;
    reportAclErrors(expr.errors, report);
  }
  return parsed.condition;
}

/**
 * Finds the expressions among the arguments: positional `sample` and `log-format` arguments
 * from the catalogue, plus any other argument holding `%[`, which HAProxy reads as log-format.
 */
function collectExpressions(stmt: Statement, specs: readonly ArgSpec[] | undefined, offset: number, report: Report): void {
  // The argument indexes already parsed as positional expressions (rarely any).
  let done: number[] | undefined;
  if (specs) {
    for (let p = 0; p < specs.length; p++) {
      const spec = specs[p]!;
      const index = p + offset;
      const word = stmt.args[index];
      if (!word || spec.optional || spec.repeat) break;
      if (spec.type === 'sample') {
        addSample(stmt, index, word, report);
        (done ??= []).push(index);
      } else if (spec.type === 'log-format') {
        addLogFormat(stmt, index, word, report);
        (done ??= []).push(index);
      }
    }
  }
  for (let i = 0; i < stmt.args.length; i++) {
    const word = stmt.args[i]!;
    if (word.value.includes('%[') && !done?.includes(i)) addLogFormat(stmt, i, word, report);
  }
}

function addSample(stmt: Statement, index: number, word: Word, report: Report): void {
  const parsed = parseSampleExpression(word);
  if (parsed.expr) addTo(stmt, 'samples', { argIndex: index, expr: parsed.expr });
  if (parsed.error) report(codes.sampleSyntax, rangeInWord(word, parsed.error.from, parsed.error.to), `in '${word.value}': ${parsed.error.message}`);
}

function addLogFormat(stmt: Statement, index: number, word: Word, report: Report): void {
  const parsed = parseLogFormat(word);
  addTo(stmt, 'logFormats', { argIndex: index, format: parsed.format });
  for (const part of parsed.format.parts) {
    if (part.kind === 'sample' && part.expr) addTo(stmt, 'samples', { argIndex: index, expr: part.expr });
  }
  for (const e of parsed.errors) report(codes.logFormatSyntax, rangeInWord(word, e.from, e.to), `in '${word.value}': ${e.message}`);
}

function addTo<K extends 'samples' | 'logFormats'>(stmt: Statement, key: K, item: Statement[K][number]): void {
  // Most statements have one: `[item]` is sized exactly, where a push would reserve 17 slots.
  if (stmt[key] === NONE) (stmt[key] as unknown[]) = [item];
  else (stmt[key] as unknown[]).push(item);
}
