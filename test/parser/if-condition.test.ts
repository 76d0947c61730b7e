import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEnvironment, type Environment } from '../../packages/parser/src/lexer/environment.js';
import { compareVersion, evaluateIfCondition, splitVersion } from '../../packages/parser/src/lexer/if-condition.js';
import { tokenizeLine, type LineContext } from '../../packages/parser/src/lexer/line-tokenizer.js';

const ORACLE_ENV: Record<string, string> = { FOO: 'foo_value', EMPTY: '', MULTI: 'a b  c', WITH_SSL: 'yes' };
const env: Environment = defaultEnvironment({ ...ORACLE_ENV });
const ctx: LineContext = { env, file: 'c.cfg', section: 'global' };

/** Tokenises a whole `.if …` line and evaluates the words after `.if`. */
function evalLine(line: string, e: Environment = env) {
  const tok = tokenizeLine(line, 0, line.length, 1, { ...ctx, env: e });
  expect(tok.errors).toEqual([]);
  const directive = tok.words[0]!.value as '.if' | '.elif';
  return evaluateIfCondition(tok.words.slice(1), e, directive);
}
const value = (cond: string, e?: Environment) => {
  const r = evalLine(`.if ${cond}`, e);
  if ('error' in r) throw new Error(`unexpected error: ${r.error.message}`);
  return r.value;
};
const error = (cond: string) => {
  const r = evalLine(`.if ${cond}`);
  if (!('error' in r)) throw new Error(`expected an error for ${cond}, got ${r.value}`);
  return r.error;
};

describe('evaluateIfCondition: values (C01, C02, C08)', () => {
  const cases: [string, boolean][] = [
    ['defined(FOO)', true],
    ['defined(EMPTY)', true],
    ['defined(NOPE)', false],
    ['streq("$WITH_SSL",yes)', true],
    ['strneq("$WITH_SSL",yes)', false],
    ['feature(OPENSSL)', true],
    ['feature(SSL)', false],
    ['feature(QUIC)', false],
    ['feature()', false],
    ['version_atleast(2.6)', true],
    ['version_atleast(2.6.12)', true],
    ['version_atleast(2.6.13)', false],
    ['version_atleast(2.7-dev1)', false],
    ['version_atleast(2.6-dev1)', true],
    ['version_before(2.7)', true],
    ['version_before(2.6)', false],
    ['version_before(2.6.12)', false],
    ['version_atleast(garbage)', true], // split_version fails: -3 <= 0
    ['version_before(garbage)', false],
    ['0', false],
    ['1', true],
    ['"2"', true],
    ['-1', true],
    ['0x10', true],
    ['0x0', false],
    ['000', false],
    ['', false],
    ['"${EMPTY}"', false],
    ['!defined(NOPE) && (streq(a,b) || 1)', true],
    ['1 # comment after cond', true],
    ['defined()', false],
    ['defined', false], // no parenthesis: one empty argument
    ['!!1', true],
    ['! 1', false],
    ['1 || 0 && 0', true], // && binds tighter
    ['(1 || 0) && 0', false],
    ['0 || 0 || 1', true],
    ['"" 1', true],
    ['( ( 1 ) )', true],
    ['openssl_version_atleast(3.0.0)', true],
    ['openssl_version_atleast(3.0.1)', false], // HAProxy packs the fix number where OpenSSL 3 has none
    ['openssl_version_before(4.0.0)', true],
    ['openssl_version_atleast(1.1.1w)', true],
    ['ssllib_name_startswith(OpenSSL)', true],
    ['ssllib_name_startswith("OpenSSL 3.0")', true],
    ['ssllib_name_startswith(LibreSSL)', false],
  ];
  it.each(cases)('.if %s → %s', (cond, expected) => {
    expect(value(cond)).toBe(expected);
  });

  it('second-level quotes survive when protected from the first level', () => {
    expect(value(`streq('"a,b"','"a,b"')`)).toBe(true);
    expect(value(`streq('"a b"',"'a b'")`)).toBe(true);
    expect(value(`streq('a\\ b','a b')`)).toBe(true); // level 2 unescapes `\ `
    expect(value(`streq('a\\\\ b','a b')`)).toBe(false); // level 2 gives `a\ b`
  });

  it('reads the given environment', () => {
    const e2 = defaultEnvironment({ X: '1' });
    expect(value('defined(X)', e2)).toBe(true);
    expect(value('defined(FOO)', e2)).toBe(false);
    expect(value('defined(constructor)', e2)).toBe(false);
    expect(value('version_atleast(2.7)', { ...e2, version: '2.8.1' })).toBe(true);
    expect(value('feature(QUIC)', { ...e2, features: ['QUIC'] })).toBe(true);
  });

  it('known divergence: a trailing blank after `.if ""` is invisible in words', () => {
    // HAProxy sees `.if "" ` as the expression " " and rejects it; the words carry no trailing blank.
    expect(value('"" ')).toBe(false);
  });

  it('.elif wording', () => {
    const r = evalLine('.elif bogus(1)');
    expect('error' in r && r.error.message).toBe("unparsable conditional expression 'bogus(1)' in '.elif' at position 1:");
  });
});

describe('evaluateIfCondition: errors with HAProxy wording and positions', () => {
  // [condition, message, 0-based column in `.if <condition>` the caret points at]
  const cases: [string, string, number][] = [
    ['"$FOO"', "unparsable conditional expression 'foo_value' in '.if' at position 1:", 5], // C01 (expanded text maps to `$`)
    ['bogus(1)', "unparsable conditional expression 'bogus(1)' in '.if' at position 1:", 4], // C03
    ['1 &&', "unparsable conditional expression '&&' in '.if' at position 3:", 6],
    ['1 ||', "unparsable conditional expression '1 ||' in '.if' at position 3:", 6],
    ['(', "unparsable conditional expression '(' in '.if' at position 1:", 4],
    ['(1', "expected ')' after conditional expression '(1' in '.if' at position 1:", 4],
    ['( )', "unparsable conditional expression ')' in '.if' at position 3:", 6],
    ['!', "unparsable conditional expression '!' in '.if' at position 1:", 4],
    ['!bogus', "unparsable conditional expression '!bogus' in '.if' at position 1:", 4],
    ['1 && bogus', "unparsable conditional expression 'bogus' in '.if' at position 6:", 9],
    ['defined (FOO)', "unexpected character '(' at the end of conditional expression 'defined (FOO)' in '.if' at position 9:", 12],
    ['defined(FOO,BAR)', "expected ')' before ',BAR)' in argument 1 of predicate 'defined' used in conditional expression in '.if' at position 12:", 15],
    ['streq(a)', "missing arguments (got 1/2), type 'string' expected in argument 1 of predicate 'streq' used in conditional expression in '.if' at position 8:", 11],
    ['streq(a,b,c)', "expected ')' before ',c)' in argument 1 of predicate 'streq' used in conditional expression in '.if' at position 10:", 13],
    ['defined(FOO', "expected ')' in argument 1 of predicate 'defined' used in conditional expression in '.if' at position 12:", 15],
    ['08', "unexpected character '8' at the end of conditional expression '08' in '.if' at position 2:", 5],
    ['2.6', "unexpected character '.' at the end of conditional expression '2.6' in '.if' at position 2:", 5],
    ['"" ""', "unparsable conditional sub-expression ' ' in '.if' at position 1:", 6],
    ['defined(a\\', "failed to parse '\\' after 'a' as type 'string' at position 1 in argument 0 of predicate 'defined' used in conditional expression in '.if' at position 10:", 13],
    ['1 )', "unexpected character ')' at the end of conditional expression '1 )' in '.if' at position 3:", 6],
    ["streq('a,b','a,b')", "expected ')' before ',a,b)' in argument 1 of predicate 'streq' used in conditional expression in '.if' at position 10:", 15],
  ];
  it.each(cases)('.if %s', (cond, message, column) => {
    const e = error(cond);
    expect(e.message).toBe(message);
    expect(e.range.start.line).toBe(1);
    expect(e.range.start.column).toBe(column);
  });

  it('maps positions through expansions back to the source', () => {
    // `"$FOO" && x`: the joined text is `foo_value && x`; the error at `foo_value` points at `"$FOO"`'s `$`.
    const e = error('"$FOO" && 1');
    expect(e.message).toBe("unparsable conditional expression 'foo_value && 1' in '.if' at position 1:");
    expect(e.range.start.column).toBe(5);
  });

  it('unparsable OpenSSL versions are errors (HAProxy 2.6.12 segfaults on them)', () => {
    expect(error('openssl_version_atleast(garbage)').message).toMatch(/unparsable OpenSSL version 'garbage'/);
    // short-circuit: never evaluated
    expect(value('1 || openssl_version_atleast(garbage)')).toBe(true);
  });
});

describe('split_version / compare_current_version', () => {
  it('splits like HAProxy', () => {
    expect(splitVersion('1.2.1-pre2')).toEqual([1, 2, 1, 0, 2, 2, 0]);
    expect(splitVersion('1.2.10.1')).toEqual([1, 2, 10, 1, 3, 0, 0]);
    expect(splitVersion('1.5-dev18-43')).toEqual([1, 5, 0, 0, 1, 18, 43]);
    expect(splitVersion('2.4-dev18-f6818d-20')).toEqual([2, 4, 0, 0, 1, 18, 20]);
    expect(splitVersion('2.6.12-1+deb12u4')).toEqual([2, 6, 12, 0, 3, 0, 0]);
    expect(splitVersion('garbage')).toBeUndefined();
    expect(splitVersion('')).toBeUndefined();
  });
  it('compares', () => {
    expect(compareVersion('2.6.12', '2.6')).toBe(-1);
    expect(compareVersion('2.6.12', '2.6.12')).toBe(0);
    expect(compareVersion('2.6.12', '2.7-dev1')).toBe(1);
    expect(compareVersion('2.6.12', 'x')).toBe(-3);
  });
});

// ---- differential test against the real binary -----------------------------------------------

function findHaproxy(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin']);
  for (const d of dirs) {
    if (!d) continue;
    const r = spawnSync(join(d, 'haproxy'), ['-v'], { encoding: 'utf8' });
    if (!r.error && r.status === 0 && /HAProxy version 2\.6\.12/.test(r.stdout)) return join(d, 'haproxy');
  }
  return undefined;
}
const haproxyPath = findHaproxy();
const hasHaproxy = haproxyPath !== undefined;
if (!hasHaproxy) console.warn('.if differential test skipped: haproxy 2.6.12 is not on PATH nor in /usr/sbin');

function runHaproxy(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-if-'));
  writeFileSync(join(dir, 'c.cfg'), config);
  const r = spawnSync(haproxyPath!, ['-c', '-f', 'c.cfg'], {
    encoding: 'utf8', cwd: dir, env: { ...ORACLE_ENV, PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  return `${r.stdout}${r.stderr}`;
}

describe.skipIf(!hasHaproxy)('evaluateIfCondition vs haproxy -c (differential)', () => {
  const good = [
    'defined(FOO)', 'defined(EMPTY)', 'defined(NOPE)', 'streq("$WITH_SSL",yes)', 'feature(OPENSSL)', 'feature(QUIC)',
    'feature(SSL)', 'version_atleast(2.6)', 'version_atleast(2.7-dev1)', 'version_before(2.7)', 'version_atleast(2.6.12)',
    'version_atleast(2.6.13)', 'version_before(2.6.12-1)', 'version_atleast(garbage)', '0', '1', '"2"', '0x10', '000', '-1',
    '', '"${EMPTY}"', '!defined(NOPE) && (streq(a,b) || 1)', '1 || 0 && 0', '(1 || 0) && 0', '!!1', '"" 1', 'defined()',
    'defined', 'openssl_version_atleast(3.0.0)', 'openssl_version_atleast(3.0.1)', 'openssl_version_before(3.1.0)',
    'openssl_version_atleast(1.1.1w)', 'ssllib_name_startswith(OpenSSL)', 'ssllib_name_startswith("OpenSSL 3.0")',
    `streq('"a,b"','"a,b"')`, 'strneq(a, a)', 'streq(a ,a)',
    `streq('"a b"',"'a b'")`, `streq('a\\ b','a b')`, `streq('a\\\\ b','a b')`,
  ];
  it('true/false agree on every condition', () => {
    const config = `global\n${good.map((c) => `.if ${c}\n.notice "T"\n.else\n.notice "F"\n.endif\n`).join('')}`;
    const out = runHaproxy(config);
    const theirs = [...out.matchAll(/parsing \[c\.cfg:(\d+)\]: '([TF])'\./g)].map((m) => m[2] === 'T');
    expect(out).not.toMatch(/ALERT.*parsing/);
    const ours = good.map((c) => value(c));
    expect(ours).toEqual(theirs);
  });

  const bad = [
    '"$FOO"', 'bogus(1)', '1 &&', '1 ||', '(', '(1', '( )', '!', '!bogus', '1 && bogus', 'defined (FOO)',
    'defined(FOO,BAR)', 'streq(a)', 'streq(a,b,c)', 'defined(FOO', '08', '2.6', '"" ""', 'defined(a\\',
    '1 )', "streq('a,b','a,b')", '((1)', 'feature(OPENSSL) &&& 1', '1 | 0',
  ];
  it.each(bad)('.if %s: same error message and caret as HAProxy', (cond) => {
    const out = runHaproxy(`global\n.if ${cond}\n.endif\n`);
    const m = /parsing \[c\.cfg:2\]: (.*)\n {2}(.*)\n( *\^)/.exec(out);
    expect(m).not.toBeNull();
    const e = error(cond);
    expect(e.message).toBe(m![1]);
    // HAProxy's caret is under the expanded text `.if <joined>`: compare when no expansion happened.
    if (!cond.includes('$') && !/['"\\]/.test(cond)) expect(m![3]!.length - 3).toBe(e.range.start.column);
  });
});
