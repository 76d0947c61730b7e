import { describe, expect, it } from 'vitest';
import type { AclStatement, RuleStatement, Word } from '../../packages/parser/src/ast/nodes.js';
import { parseCondition, parseWithGrammar } from '../../packages/parser/src/grammar/condition-parser.js';
import { readSimpleCondition } from '../../packages/parser/src/grammar/simple-condition.js';
import { parseLogFormat } from '../../packages/parser/src/grammar/log-format.js';
import { parseSampleExpression } from '../../packages/parser/src/grammar/sample-expression.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { tokenizeLine } from '../../packages/parser/src/lexer/line-tokenizer.js';
import { parseConfig } from '../../packages/parser/src/parse/document-parser.js';

const env = defaultEnvironment({});
const words = (line: string): Word[] => tokenizeLine(line, 0, line.length, 0, { env, file: 'x.cfg', section: 'fe' }).words;
const sliceOf = (line: string, r: { start: { offset: number }; end: { offset: number } }): string => line.slice(r.start.offset, r.end.offset);

describe('sample expressions', () => {
  it('splits a fetch with arguments and a converter chain, with source ranges', () => {
    const line = 'req.hdr(host,1),lower,map_beg(/etc/hosts.map,default)';
    const [w] = words(line);
    const { expr, error } = parseSampleExpression(w!);
    expect(error).toBeUndefined();
    expect(expr!.fetch.name).toBe('req.hdr');
    expect(expr!.fetch.args!.map((a) => a.value)).toEqual(['host', '1']);
    expect(expr!.converters.map((c) => c.name)).toEqual(['lower', 'map_beg']);
    expect(expr!.converters[1]!.args!.map((a) => a.value)).toEqual(['/etc/hosts.map', 'default']);
    expect(sliceOf(line, expr!.converters[1]!.nameRange)).toBe('map_beg');
    expect(sliceOf(line, expr!.fetch.args![1]!.range)).toBe('1');
  });

  it('removes second-level quotes so a regex may hold commas and parentheses', () => {
    const line = `'path,regsub("(foo|bar)",blah,g)'`;
    const { expr } = parseSampleExpression(words(line)[0]!);
    expect(expr!.converters[0]!.args!.map((a) => a.value)).toEqual(['(foo|bar)', 'blah', 'g']);
  });

  it('keeps an empty argument list distinct from no parentheses', () => {
    expect(parseSampleExpression(words('src()')[0]!).expr!.fetch.args).toEqual([]);
    expect(parseSampleExpression(words('src')[0]!).expr!.fetch.args).toBeUndefined();
  });

  it('reports a missing closing parenthesis', () => {
    const { error } = parseSampleExpression(words('req.hdr(host')[0]!);
    expect(error!.message).toBe(`expected ')'`);
  });
});

describe('log-format strings', () => {
  it('separates text, %[sample] and %vars with their ranges', () => {
    const line = '"%ci:%cp [%t] %[path,lower] 100%% %{+Q}r"';
    const [w] = words(line);
    const { format, errors } = parseLogFormat(w!);
    expect(errors).toEqual([]);
    const kinds = format.parts.map((p) => `${p.kind}:${p.kind === 'text' ? p.text : p.kind === 'variable' ? p.name : p.expr?.fetch.name}`);
    expect(kinds).toEqual(['variable:ci', 'text::', 'variable:cp', 'text: [', 'variable:t', 'text:] ', 'sample:path', 'text: 100%% ', 'variable:r']);
    const sample = format.parts.find((p) => p.kind === 'sample')!;
    expect(sliceOf(line, sample.range)).toBe('%[path,lower]');
  });

  it("reports a missing ']' like HAProxy", () => {
    const { errors } = parseLogFormat(words('%[path')[0]!);
    expect(errors[0]!.message).toBe(`missing ']' after 'path'`);
  });
});

describe('conditions', () => {
  it('builds an OR of AND-groups with negations and anonymous ACLs', () => {
    const line = 'if !is_a b || { path_beg /x } or ! !c';
    const { condition, anonymousWords, errors } = parseCondition(words(line));
    expect(errors).toEqual([]);
    expect(condition.polarity).toBe('if');
    const shape = condition.groups.map((g) => g.map((t) => (t.kind === 'ref' ? `${t.negated ? '!' : ''}${t.name.value}` : `${t.negated ? '!' : ''}{}`)));
    expect(shape).toEqual([['!is_a', 'b'], ['{}'], ['c']]);
    const anon = condition.groups[1]![0]!;
    expect(anonymousWords.get(anon as never)!.map((w) => w.value)).toEqual(['path_beg', '/x']);
    const ref = condition.groups[0]![0]!;
    expect(ref.kind === 'ref' && sliceOf(line, ref.nameRange)).toBe('is_a');
    expect(sliceOf(line, ref.range)).toBe('!is_a');
  });

  it('treats OR case-insensitively and an empty condition as valid', () => {
    expect(parseCondition(words('unless a OR b')).condition.groups.length).toBe(2);
    const empty = parseCondition(words('if'));
    expect(empty.errors).toEqual([]);
    expect(empty.condition.groups).toEqual([[]]);
  });

  it("reports a missing '}'", () => {
    const { errors } = parseCondition(words('if { path /x'));
    expect(errors[0]!.message).toContain(`missing closing '}'`);
  });

  it("negates an anonymous ACL written '!{'", () => {
    const { condition } = parseCondition(words('if !{ src 10.0.0.0/8 }'));
    expect(condition.groups[0]![0]).toMatchObject({ kind: 'anonymous', negated: true });
  });

  it('reads words by value as HAProxy does: lone `!`, `}` outside braces, quoted `or`, an empty word', () => {
    const shapeOf = (line: string): string[][] =>
      parseCondition(words(line)).condition.groups.map((g) => g.map((t) => (t.kind === 'ref' ? `${t.negated ? '!' : ''}${t.name.value}` : `${t.negated ? '!' : ''}{}`)));
    // A `!` that negates nothing (before `or`, at the end) is skipped; `!!` cancels out.
    expect(shapeOf('if a ! or !!b !')).toEqual([['a'], ['b']]);
    expect(shapeOf('if ! ! c')).toEqual([['c']]);
    // `}` outside braces is an ACL name; `!or` is an `or`; a quoted `"or"` is one too.
    expect(shapeOf('if } !or "or" x')).toEqual([['}'], [], ['x']]);
    // HAProxy's argument list ends at the first empty word.
    expect(shapeOf('if a "" b')).toEqual([['a']]);
    // The `!` of a term counts in its range, even written as a separate word.
    const line = 'if ! { path /x }';
    const { condition } = parseCondition(words(line));
    expect(sliceOf(line, condition.groups[0]![0]!.range)).toBe('! { path /x }');
  });
});

describe('conditions: the simple-shape fast path', () => {
  /** Everything a consumer can read of a node: own fields, range getters and the class. */
  const snapshot = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(snapshot);
    const out: Record<string, unknown> = { class: x.constructor.name };
    for (const [k, v] of Object.entries(x)) out[k] = snapshot(v);
    for (const g of ['range', 'nameRange', 'text', 'value', 'quoted']) if (g in x) out[g] = snapshot((x as Record<string, unknown>)[g]);
    return out;
  };
  // Words a condition may hold, biased to the simple shapes, with every awkward neighbour.
  const vocabulary = [
    'a', 'b1', '!c', '!!d', 'or', '||', '{ path_beg /x }', '!{ src 10.0.0.0/8 }', '{ }', '!!{ a or { b }',
    'OR', 'Or', '!!!e', '!', '!!', '{', '!{', '}', '!or', '!||', 'if', 'unless', '"or"', '"!x"', '"{"', '"}"', 'p|q', 'o', 'orr', '{x', 'x}', '""',
  ];

  it('builds the same tree as the grammar for every condition it accepts, and declines the rest', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let accepted = 0;
    let withBraces = 0;
    for (let n = 0; n < 4000; n++) {
      const picks = Array.from({ length: random(7) }, () => vocabulary[random(n % 2 ? 10 : vocabulary.length)]!);
      const line = `${random(2) ? 'if' : 'unless'} ${picks.join(' ')}`.trimEnd();
      const ws = words(line);
      let end = 1;
      while (end < ws.length && ws[end]!.value !== '') end++;
      const grammar = parseWithGrammar(ws, 0, end);
      const simple = readSimpleCondition(ws, 0, end);
      if (!simple) continue;
      accepted++;
      if (simple.anonymousWords) withBraces++;
      expect(grammar.errors, line).toEqual([]);
      expect(snapshot(simple.condition), line).toEqual(snapshot(grammar.condition));
      expect(snapshot([...(simple.anonymousWords ?? [])]), line).toEqual(snapshot([...grammar.anonymousWords]));
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(withBraces).toBeGreaterThan(300);
  });

  it('leaves an unclosed brace, a lone `!`, `!or` and empty groups to the grammar', () => {
    for (const line of ['if { src 1.2.3.4', 'if a !', 'if ! a', 'if ! { x }', 'if a !or b', 'if or a', 'if a or', 'if a or or b', 'if']) {
      const ws = words(line);
      expect(readSimpleCondition(ws, 0, ws.length), line).toBeUndefined();
    }
  });
});

describe('document structure', () => {
  const text = [
    '# top comment',
    'global',
    '    daemon',
    '',
    'defaults web from base',
    'frontend fe',
    '    bind :80 # public',
    '    acl is_api path_beg /api',
    '    http-request set-header X-Src %[src] if is_api',
    '    tcp-request content accept if { req.len gt 0 }',
    '    timeout client 5s',
    '',
  ].join('\n');
  const { file } = parseConfig(text, 'x.cfg', { env });

  it('keeps every line with its kind', () => {
    expect(file.lines.map((l) => l.kind)).toEqual([
      'comment', 'statement', 'statement', 'blank', 'statement', 'statement', 'statement', 'statement', 'statement', 'statement', 'statement',
    ]);
  });

  it('opens sections positionally with names and from', () => {
    expect(file.sections.map((s) => [s.kind, s.name?.value, s.from?.value])).toEqual([
      ['global', undefined, undefined],
      ['defaults', 'web', 'base'],
      ['frontend', 'fe', undefined],
    ]);
  });

  it('spans each section from its header to its last line that is not blank', () => {
    expect(file.sections.map((s) => [s.range.start.line, s.range.end.line, s.range.end.column])).toEqual([[1, 2, 10], [4, 4, 22], [5, 10, 21]]);
  });

  it('locates words through their line: line number, column and offset', () => {
    const bind = file.lines[6]!;
    const port = bind.words[1]!;
    expect(port.range).toEqual({ start: { line: 6, column: 9, offset: bind.range.start.offset + 9 }, end: { line: 6, column: 12, offset: bind.range.start.offset + 12 } });
    expect(sliceOf(text, port.range)).toBe(':80');
  });

  it('structures ACLs, rules and multi-word keywords', () => {
    const fe = file.sections[2]!;
    const acl = fe.statements[1] as AclStatement;
    expect(acl.type).toBe('acl');
    expect(acl.name!.value).toBe('is_api');
    expect(acl.expr!.criterion.fetch.name).toBe('path_beg');
    expect(acl.expr!.values.map((v) => v.value)).toEqual(['/api']);
    const rule = fe.statements[2] as RuleStatement;
    expect([rule.ruleSet, rule.actionName, rule.actionArgs.map((a) => a.value)]).toEqual(['http-request', 'set-header', ['X-Src', '%[src]']]);
    expect(rule.condition!.groups[0]![0]).toMatchObject({ kind: 'ref', negated: false });
    expect(rule.samples.map((s) => s.expr.fetch.name)).toEqual(['src']);
    const tcp = fe.statements[3] as RuleStatement;
    expect([tcp.ruleSet, tcp.actionName]).toEqual(['tcp-request content', 'accept']);
    const anon = tcp.condition!.groups[0]![0]!;
    expect(anon.kind === 'anonymous' && anon.expr!.operator!.value).toBe('gt');
    expect(fe.statements[4]!.keyword).toBe('timeout client');
    expect(fe.statements[4]!.args.map((a) => a.value)).toEqual(['5s']);
    expect(fe.statements[0]!.line.comment!.text).toBe('# public');
  });
});

describe('conditional blocks', () => {
  const parse = (text: string, vars: Record<string, string> = {}) => parseConfig(text, 'x.cfg', { env: defaultEnvironment(vars) });

  it('keeps untaken branches in the AST, marked inactive and hinted as unnecessary', () => {
    const text = 'global\n.if defined(FOO)\n    daemon\n.else\n    quiet\n.endif\n';
    const { file, diagnostics } = parse(text, { FOO: '1' });
    expect(file.lines.map((l) => l.active)).toEqual([true, true, true, true, false, true]);
    expect(file.sections[0]!.statements.map((s) => s.keyword)).toEqual(['daemon']);
    const hint = diagnostics.find((d) => d.code === 'HAP1040')!;
    expect(hint.unnecessary).toBe(true);
    expect([hint.range.start.line, hint.range.end.line]).toEqual([4, 4]);
    expect(file.conditionals[0]!.branches.map((b) => b.taken)).toEqual([true, false]);
  });

  it('takes the first true branch only', () => {
    const { file } = parse('global\n.if 0\n  a\n.elif 1\n  b\n.elif 1\n  c\n.else\n  d\n.endif\n');
    expect(file.sections[0]!.statements.map((s) => s.keyword)).toEqual(['b']);
  });

  it('reports structure errors with HAProxy wording', () => {
    const messages = (t: string) => parse(t).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.range.start.line + 1, d.message]);
    expect(messages('global\n.else\n.endif\n')).toEqual([[2, `lone '.else' with no matching '.if'`]]);
    expect(messages('global\n.if 1\n.notice "x"\n')[0]).toEqual([3, `non-terminated '.if' block (opened on line 2); add '.endif'`]);
    expect(messages('global\n.if 1\n.else\n.else\n.endif\n')).toEqual([[4, `'.else' after '.else' is not permitted`]]);
  });

  it('stops at .alert like HAProxy and reports directive messages', () => {
    const { diagnostics, file } = parse('global\n.warning "careful"\n.alert "stop here"\n    daemon\n');
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['HAP1014', 'warning', `'careful'`],
      ['HAP1015', 'error', `'stop here'`],
    ]);
    expect(file.sections[0]!.statements).toEqual([]);
  });

  it('reports the missing final line feed on the last line', () => {
    const { diagnostics } = parse('global\n    daemon');
    expect(diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['HAP1005', 1]]);
  });
});

describe('where a rule condition starts', () => {
  it("lets an action take 'if' as an argument, as HAProxy's parser does", () => {
    const { file } = parseConfig('frontend fe\n    http-request del-header if is_admin\n    http-request set-header X-A b if is_admin\n', 'x.cfg', { env });
    const [del, set] = file.sections[0]!.statements as RuleStatement[];
    expect(del!.actionArgs.map((w) => w.value)).toEqual(['if', 'is_admin']);
    expect(del!.condition).toBeUndefined();
    expect(set!.actionArgs.map((w) => w.value)).toEqual(['X-A', 'b']);
    expect(set!.condition!.groups[0]![0]).toMatchObject({ kind: 'ref' });
  });
});
