import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { MAX_LINE_WORDS, tokenizeLine, type LineContext, type TokenizedLine } from '../../packages/parser/src/lexer/line-tokenizer.js';

// ---- the real binary as an oracle -------------------------------------------------------------

const ORACLE_ENV: Record<string, string> = { FOO: 'foo_value', EMPTY: '', MULTI: 'a b  c', WITH_SSL: 'yes' };

function findHaproxy(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin']);
  for (const d of dirs) {
    if (!d) continue;
    const r = spawnSync(join(d, 'haproxy'), ['-v'], { encoding: 'utf8' });
    if (!r.error && r.status === 0 && /HAProxy version 2\.6/.test(r.stdout)) return join(d, 'haproxy');
  }
  return undefined;
}
const haproxyPath = findHaproxy();
const hasHaproxy = haproxyPath !== undefined;
if (!hasHaproxy) console.warn('tokenizer differential test skipped: haproxy 2.6 is not on PATH nor in /usr/sbin');

interface OracleMessage { level: string; line: number; text: string }

/** Runs `haproxy -c -f` and returns every `parsing [file:N]: …` message (continuation lines kept). */
function runHaproxy(config: string, name: string): OracleMessage[] {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-tok-'));
  writeFileSync(join(dir, name), config);
  const r = spawnSync(haproxyPath!, ['-c', '-f', name], {
    encoding: 'utf8', cwd: dir, env: { ...ORACLE_ENV, PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  const messages: OracleMessage[] = [];
  let current: OracleMessage | undefined;
  for (const raw of `${r.stdout}${r.stderr}`.split('\n')) {
    const m = /^\[(NOTICE|ALERT|WARNING)\]\s+\(\d+\) : (?:config : )?(.*)$/.exec(raw);
    if (m) {
      const p = /^parsing \[[^\]]*:(\d+)\] ?: (.*)$/.exec(m[2]!);
      current = p ? { level: m[1]!, line: Number(p[1]), text: p[2]! } : undefined;
      if (current) messages.push(current);
    } else if (current && raw !== '' && !raw.startsWith('Configuration file')) {
      current.text += `\n${raw}`;
    }
  }
  return messages;
}

// ---- helpers ------------------------------------------------------------------------------------

const ctx: LineContext = {
  env: defaultEnvironment({ ...ORACLE_ENV }),
  file: 'L06_tokenizer.cfg',
  section: 'global',
};

function tok(line: string, lineNo = 0, c: LineContext = ctx): TokenizedLine {
  return tokenizeLine(line, 0, line.length, lineNo, c);
}
const values = (line: string, lineNo = 0): string[] => tok(line, lineNo).words.map((w) => w.value);
const errs = (line: string): string[] => tok(line).errors.map((e) => e.message);

// ---- §1.2 word splitting, quoting, escaping ---------------------------------------------------

describe('tokenizeLine: word splitting and quoting (§1.2, L06)', () => {
  // [source word after `.notice `, HAProxy's value (from results.log L06)]
  const L06: [string, string][] = [
    ['plain', 'plain'],
    ['"dq with spaces"', 'dq with spaces'],
    ["'sq with spaces'", 'sq with spaces'],
    ['a\\ b', 'a b'],
    ['a\\#b', 'a#b'],
    ['a#comment', 'a'],
    ['"a#b in dq"', 'a#b in dq'],
    ["'a#b in sq'", 'a#b in sq'],
    ['a\\\\b', 'a\\b'],
    ['a\\qb', 'a\\qb'],
    ['a\\1b', 'a\\1b'],
    ['"a\\qb dq"', 'a\\qb dq'],
    ["'a\\qb sq'", 'a\\qb sq'],
    ['a\\tb', 'a\tb'],
    ['"a\\nb"', 'a\nb'],
    ["'a\\nb'", 'a\\nb'],
    ['a\\x41b', 'aAb'],
    ['"x\\x41y"', 'xAy'],
    ["'x\\x41y'", 'x\\x41y'],
    ["a\\'b", "a'b"],
    ['a\\"b', 'a"b'],
    ['"a\\"b"', 'a"b'],
    ['"a\'b"', "a'b"],
    ["'a\"b'", 'a"b'],
    ['"con"\'cat\'enated', 'concatenated'],
    ['$FOO', '$FOO'],
    ['"$FOO"', 'foo_value'],
    ['"${FOO}"', 'foo_value'],
    ["'$FOO'", '$FOO'],
    ['"\\$FOO"', '$FOO'],
    ['\\$FOO', '\\$FOO'],
    ['"[$UNSETVAR]"', '[]'],
    ['"[${UNSETVAR-dflt}]"', '[dflt]'],
    ['"[${EMPTY-dflt}]"', '[]'],
    ['"[${FOO-dflt}]"', '[foo_value]'],
    ['"[${UNSETVAR-dflt with space}]"', '[dflt with space]'],
    ['"$FOO.suffix"', 'foo_value.suffix'],
    ['"${FOO}_suffix"', 'foo_value_suffix'],
    ['"$FOO_suffix"', ''],
    ['""', ''],
    ['a\\', 'a\\'],
    ['"a\\rb"', 'a\rb'],
    ['a\\x4a\\x6B', 'aJk'],
  ];
  it.each(L06)('.notice %s', (src, expected) => {
    const r = tok(`.notice ${src}`);
    expect(r.errors).toEqual([]);
    expect(r.words).toHaveLength(2);
    expect(r.words[1]!.value).toBe(expected);
    expect(r.words[1]!.range.start.column).toBe(8);
  });

  it('pseudo-variables ${.LINE} ${.FILE} ${.SECTION} (L06 line 39)', () => {
    expect(values('.notice "${.LINE}:${.FILE}:${.SECTION}"', 38)[1]).toBe('39:L06_tokenizer.cfg:global');
    expect(values('.notice "$.LINE"', 1)[1]).toBe('2');
  });

  it('blanks separate words; runs of blanks, tabs, VT and FF count as one separator', () => {
    expect(values('a  b\t\tc')).toEqual(['a', 'b', 'c']);
    expect(values('a\vb\fc')).toEqual(['a', 'b', 'c']);
    expect(values('a "b c" d')).toEqual(['a', 'b c', 'd']);
  });

  it('"" is a real empty word; trailing blanks are not', () => {
    const r = tok('.notice "" ');
    expect(r.words.map((w) => w.value)).toEqual(['.notice', '']);
    expect(r.words[1]!.quoted).toBe(true);
    expect(r.words[1]!.text).toBe('""');
    expect(r.words[1]!.offsets).toEqual([]);
    expect(values('.notice')).toEqual(['.notice']);
  });

  it('quoted is set only when a quote was used', () => {
    const r = tok('a "b" c\'d\' e\\ f');
    expect(r.words.map((w) => w.quoted)).toEqual([false, true, true, false]);
  });

  it('`#` outside quotes starts a comment even glued to a word (L02)', () => {
    const r = tok('   default_backend    be#glued');
    expect(r.indent).toBe('   ');
    expect(r.words.map((w) => w.value)).toEqual(['default_backend', 'be']);
    expect(r.comment).toEqual({
      text: '#glued',
      range: { start: { line: 0, column: 24, offset: 24 }, end: { line: 0, column: 30, offset: 30 } },
    });
    const r2 = tok('\tbind\t127.0.0.1:18080   # trailing');
    expect(r2.indent).toBe('\t');
    expect(r2.words.map((w) => w.value)).toEqual(['bind', '127.0.0.1:18080']);
    expect(r2.comment?.text).toBe('# trailing');
    const r3 = tok('# only a comment');
    expect(r3.words).toEqual([]);
    expect(r3.comment?.text).toBe('# only a comment');
    expect(tok('"a#b"#c').comment?.text).toBe('#c');
    expect(tok('a"b"#c').words[0]!.value).toBe('ab');
  });

  it('a CR ends the content: CRLF lines (L14), and a CR glued to a word ends the line', () => {
    const r = tok('.notice "crlf line"\r');
    expect(r.errors).toEqual([]);
    expect(r.words.map((w) => w.value)).toEqual(['.notice', 'crlf line']);
    expect(r.words[1]!.range.end.column).toBe(19);
    expect(values('a b\r')).toEqual(['a', 'b']);
    expect(values('a\rb c')).toEqual(['a']);
    expect(tok('a # c\r').comment?.text).toBe('# c');
    expect(tok('global\r').words[0]!.text).toBe('global');
    // A CR after a blank is skipped like any isspace() char (checked with the binary).
    expect(values('.notice \r"x"')).toEqual(['.notice', 'x']);
    expect(values('.notice y\r"x"')).toEqual(['.notice', 'y']);
  });

  it('a trailing backslash stays literal (no line continuation, L14)', () => {
    expect(values('.notice a\\')).toEqual(['.notice', 'a\\']);
  });

  it('\\x00 ends the C string of the word', () => {
    expect(values('.notice a\\x00b')[1]).toBe('a');
  });
});

// ---- ranges, offsets, text --------------------------------------------------------------------

describe('tokenizeLine: ranges and offsets', () => {
  it('plain words: value === text, no offsets, exact ranges', () => {
    const line = 'xx\n  bind :80 ssl\nyy';
    const start = 3;
    const end = line.indexOf('\nyy');
    const r = tokenizeLine(line, start, end, 1, ctx);
    expect(r.indent).toBe('  ');
    expect(r.words.map((w) => w.text)).toEqual(['bind', ':80', 'ssl']);
    const w = r.words[1]!;
    expect(w.value).toBe(':80');
    expect(w.offsets).toBeUndefined();
    expect(w.quoted).toBe(false);
    expect(w.range).toEqual({ start: { line: 1, column: 7, offset: 10 }, end: { line: 1, column: 10, offset: 13 } });
  });

  it('quoted words: text keeps the quotes, offsets map value chars to source', () => {
    const r = tok('set "a b"x');
    const w = r.words[1]!;
    expect(w.text).toBe('"a b"x');
    expect(w.value).toBe('a bx');
    expect(w.offsets).toEqual([5, 6, 7, 9]);
    expect(w.range.start.offset).toBe(4);
    expect(w.range.end.offset).toBe(10);
  });

  it('escapes map to their backslash; expansions map to the `$`', () => {
    const w = tok('a\\x41"$FOO"').words[0]!;
    expect(w.value).toBe('aAfoo_value');
    expect(w.offsets).toEqual([0, 1, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
  });

  it('envRefs record name, reference range, value and fallback', () => {
    const w = tok('x "${UNSETVAR-dflt}$FOO"').words[1]!;
    expect(w.envRefs).toEqual([
      { name: 'UNSETVAR', value: undefined, fallback: 'dflt',
        range: { start: { line: 0, column: 3, offset: 3 }, end: { line: 0, column: 19, offset: 19 } } },
      { name: 'FOO', value: 'foo_value',
        range: { start: { line: 0, column: 19, offset: 19 }, end: { line: 0, column: 23, offset: 23 } } },
    ]);
    expect(tok('x $FOO').words[1]!.envRefs).toBeUndefined();
  });

  it('columns count UTF-16 units', () => {
    const r = tok('é "😀" z');
    expect(r.words[1]!.value).toBe('😀');
    expect(r.words[2]!.range.start.column).toBe(7);
  });
});

// ---- §1.3 environment variables ----------------------------------------------------------------

describe('tokenizeLine: environment variables (§1.3, L07)', () => {
  it('${MULTI[*]} splits into several words sharing the source range', () => {
    const r = tok('.notice "${MULTI[*]}" z');
    expect(r.errors).toEqual([]);
    expect(r.words.map((w) => w.value)).toEqual(['.notice', 'a', 'b', 'c', 'z']);
    for (const w of r.words.slice(1, 4)) {
      expect(w.splitFromExpansion).toBe(true);
      expect(w.text).toBe('"${MULTI[*]}"');
      expect(w.range.start.column).toBe(8);
      expect(w.range.end.column).toBe(21);
      expect(w.offsets?.every((o) => o === 9)).toBe(true);
    }
    expect(r.words[4]!.splitFromExpansion).toBeUndefined();
  });

  it('${MULTI} without [*] stays one word; a value without blanks is not marked split', () => {
    expect(values('.notice "${MULTI}"')).toEqual(['.notice', 'a b  c']);
    const w = tok('"${FOO[*]}"').words;
    expect(w).toHaveLength(1);
    expect(w[0]!.splitFromExpansion).toBeUndefined();
  });

  it('the default value is split too with [*]', () => {
    expect(values('"${UNSETVAR[*]-a b}"')).toEqual(['a', 'b']);
  });

  it('an unset variable expands to nothing; a glued prefix survives', () => {
    expect(values('"x${UNSETVAR}y"')).toEqual(['xy']);
  });

  it('respects a custom environment, and does not read Object.prototype', () => {
    const c: LineContext = { ...ctx, env: defaultEnvironment({ A: 'z' }) };
    expect(tok('"$A|$constructor|$toString"', 0, c).words[0]!.value).toBe('z||');
  });
});

// ---- errors -------------------------------------------------------------------------------------

describe('tokenizeLine: errors with HAProxy wording and positions', () => {
  const cases: [string, string, number][] = [
    // [line, message, 0-based column the caret points at]
    ['    http-request set-header X-A "hello world', 'unmatched quote at position 33:', 32], // L04
    ['    http-request set-header X-A a\\xZZb', 'truncated or invalid hexadecimal sequence at position 34:', 33], // L05
    ['.notice "[${UNSETVAR:-x}]"', 'unmatched brace in environment variable name at position 12:', 11], // L06:38
    ['.notice "price $5"', 'forbidden first char in environment variable name at position 17:', 16], // L07
    ['.notice "${FOO[x]}"', 'truncated or invalid word expansion sequence at position 15:', 14], // L08
    ['.notice "${.BOGUS}"', 'forbidden first char in environment variable name at position 12:', 11], // L09
    ['.notice "cost$"', 'forbidden first char in environment variable name at position 15:', 14], // L10
    ['\t .notice "price $5"', 'forbidden first char in environment variable name at position 19:', 18],
    ['.notice \'abc', 'unmatched quote at position 9:', 8],
    ['.notice a\\x4', 'truncated or invalid hexadecimal sequence at position 10:', 9],
    ['.notice "${FOO-abc"', 'unmatched brace in environment variable name at position 11:', 10],
    ['.notice "${FOO"', 'unmatched brace in environment variable name at position 11:', 10],
  ];
  it.each(cases)('%s', (line, message, column) => {
    const r = tok(line);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toBe(message);
    expect(r.errors[0]!.range.start.column).toBe(column);
  });

  it('positions are 1-based bytes: multi-byte chars before the error count for their UTF-8 length', () => {
    // .notice "é $5": HAProxy says position 14 (é is two bytes).
    expect(errs('.notice "é $5"')).toEqual(['forbidden first char in environment variable name at position 14:']);
  });

  it('only the first error is reported (HAProxy stops there), and words are still returned', () => {
    const r = tok('.notice a\\xZZ "$5" "open');
    expect(r.errors.map((e) => e.message)).toEqual(['truncated or invalid hexadecimal sequence at position 10:']);
    expect(r.words.length).toBeGreaterThanOrEqual(2);
    expect(r.words[0]!.value).toBe('.notice');
  });

  it('an unmatched quote inside a skipped .if branch is still an error (C02)', () => {
    expect(errs('  this is garbage that is never parsed "unterminated')).toEqual(['unmatched quote at position 40:']);
  });

  it('NUL: Stray NUL character, content stops there', () => {
    const r = tok('.notice ab\0cd');
    expect(r.words.map((w) => w.value)).toEqual(['.notice', 'ab']);
    expect(r.errors.map((e) => e.message)).toEqual(['Stray NUL character at position 11.']);
    expect(r.errors[0]!.range.start.column).toBe(10);
    expect(errs('a # x\0')).toEqual(['Stray NUL character at position 6.']);
  });

  describe('too many words (L12)', () => {
    const tail = Array.from({ length: 59 }, () => 'TRUE').join(' ');
    const L12 = `    http-request set-header X-A b if ${tail} TRUE TRUE TRUE TRUE TRUE TRUE`;
    it('reports HAProxy\'s message and keeps 64 words', () => {
      const r = tok(L12);
      expect(r.errors.map((e) => e.message)).toEqual(['too many words, truncating after word 64, position 324: <TRUE>.']);
      expect(r.words).toHaveLength(MAX_LINE_WORDS);
      const dropped = r.errors[0]!.range;
      expect(L12.slice(dropped.start.offset, dropped.end.offset)).toBe('TRUE TRUE TRUE TRUE TRUE TRUE');
    });
    const w = (n: number) => Array.from({ length: n }, (_, i) => `w${i + 1}`).join(' ');
    it('exactly 64 words is fine, but a trailing blank opens a 65th argument', () => {
      expect(tok(`.notice ${w(63)}`).errors).toEqual([]);
      expect(tok(`.notice ${w(63)}#c`).errors).toEqual([]);
      const r = tok(`.notice ${w(63)} `);
      expect(r.errors.map((e) => e.message)).toEqual(['too many words, truncating after word 64, position 248: <w63>.']);
      expect(r.words).toHaveLength(64);
      expect(tok(`.notice ${w(63)} #c`).errors).toHaveLength(1);
    });
    it('words produced by ${VAR[*]} count', () => {
      expect(errs(`.notice "\${MULTI[*]}" ${w(62)}`)).toEqual(['too many words, truncating after word 64, position 242: <w60>.']);
    });
  });
});

// ---- performance --------------------------------------------------------------------------------

describe('tokenizeLine: performance', () => {
  it('tokenizes 100,000 lines into every word', () => {
    const lines = [
      '    http-request set-header X-Forwarded-Proto https if { ssl_fc }',
      '    server s1 10.0.0.1:8080 check inter 2s fall 3 rise 2 # web',
      '    acl is_api path_beg /api/ "/v2/" \'/v3\'',
      '    timeout client 30s',
      '',
      '    log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B"',
    ];
    const text = Array.from({ length: 100_000 }, (_, i) => lines[i % lines.length]).join('\n');
    const starts: number[] = [];
    const ends: number[] = [];
    let s = 0;
    for (;;) {
      const e = text.indexOf('\n', s);
      starts.push(s);
      ends.push(e < 0 ? text.length : e);
      if (e < 0) break;
      s = e + 1;
    }
    const run = () => {
      let n = 0;
      for (let i = 0; i < starts.length; i++) n += tokenizeLine(text, starts[i]!, ends[i]!, i, ctx).words.length;
      return n;
    };
    expect(run()).toBeGreaterThan(400_000);
  });
});

// ---- differential test against the real binary -----------------------------------------------

describe.skipIf(!hasHaproxy)('tokenizeLine vs haproxy -c (differential)', () => {
  const inputs = [
    'plain', '"dq with spaces"', "'sq with spaces'", 'a\\ b', 'a\\#b', 'a#comment', '"a#b in dq"',
    'a\\\\b', 'a\\qb', '"a\\qb dq"', "'a\\qb sq'", 'a\\tb', 'a\\x41b', '"x\\x41y"', "'x\\x41y'",
    "a\\'b", 'a\\"b', '"a\\"b"', '"a\'b"', "'a\"b'", '"con"\'cat\'enated', '$FOO', '"$FOO"', '"${FOO}"',
    "'$FOO'", '"\\$FOO"', '\\$FOO', '"[$UNSETVAR]"', '"[${UNSETVAR-dflt}]"', '"[${EMPTY-dflt}]"',
    '"[${FOO-dflt}]"', '"[${UNSETVAR-dflt with space}]"', '"${.LINE}:${.FILE}:${.SECTION}"',
    '"$FOO.suffix"', '"${FOO}_suffix"', '"$FOO_suffix"', '""', 'a\\', '"${MULTI}"', '"$.LINE"',
    '"${UNSETVAR-a"b}"', '"a\\\'b"', 'x"${FOO}"\'$FOO\'y', '"{$FOO}"', '"${FOO}[*]"', '$FOO"$FOO"',
    '"a\\x4ab"', '\\x7e\\x21', '"[${UNSETVAR-}]"', '"é"', 'a\\ ', '"tab\\there"',
    // errors
    '"[${UNSETVAR:-x}]"', '"price $5"', '"cost$"', '"${FOO[x]}"', '"${.BOGUS}"', '"${FOO[*}"',
    'a\\xZZb', 'a\\x4', '"unterminated', "'unterminated", '"${FOO"', '"${FOO-abc"', '"$"', '"${}"',
    '"$$FOO"', '"${1X}"', '"${FOO-x}" "a',
  ];
  const header = 'global\n';
  const config = header + inputs.map((i) => `.notice ${i}\n`).join('');
  const file = 'diff.cfg';
  const messages = hasHaproxy ? runHaproxy(config, file) : [];
  const diffCtx: LineContext = { env: defaultEnvironment({ ...ORACLE_ENV }), file, section: 'global' };

  it.each(inputs.map((input, i) => [i + 2, input] as const))('line %i: .notice %s', (lineNo, input) => {
    const ours = tokenizeLine(`.notice ${input}`, 0, `.notice ${input}`.length, lineNo - 1, diffCtx);
    const theirs = messages.filter((m) => m.line === lineNo);
    expect(theirs).toHaveLength(1);
    const m = theirs[0]!;
    if (m.level === 'NOTICE') {
      expect(ours.errors).toEqual([]);
      // `.notice` prints the first argument as '…'.
      expect(`'${ours.words[1]?.value ?? ''}'.`).toBe(m.text);
      if (input.includes('"${MULTI}"')) expect(ours.words).toHaveLength(2);
    } else {
      expect(ours.errors).toHaveLength(1);
      expect(m.text.split('\n')[0]).toBe(ours.errors[0]!.message);
      // The caret line: HAProxy prints the line without its indent after two spaces.
      const caret = m.text.split('\n')[2];
      if (caret !== undefined) expect(caret.indexOf('^') - 2).toBe(ours.errors[0]!.range.start.column);
    }
  });

  it('several words: ${MULTI[*]} and plain splitting agree with HAProxy', () => {
    const lines = ['.notice "${MULTI[*]}"', '.notice two words'];
    const msgs = runHaproxy(`global\n${lines.join('\n')}\n`, 'multi.cfg');
    for (const [i, line] of lines.entries()) {
      const ours = tok(line);
      const m = msgs.find((x) => x.line === i + 2)!;
      // HAProxy complains about the 3rd argument.
      expect(m.text).toBe(`Unexpected argument '${ours.words[2]!.value}' for '.notice'. Use quotes if the message should contain spaces.`);
    }
  });

  it('too many words: same message as HAProxy', () => {
    const w = (n: number) => Array.from({ length: n }, (_, i) => `w${i + 1}`).join(' ');
    const lines = [`.notice ${w(63)} `, `.notice "\${MULTI[*]}" ${w(62)}`, `.notice ${w(63)}`];
    const msgs = runHaproxy(`global\n${lines.join('\n')}\n`, 'many.cfg');
    const ours = lines.map((l) => tok(l).errors.map((e) => e.message));
    expect(msgs.find((m) => m.line === 2)?.text).toBe(ours[0]![0]);
    expect(msgs.find((m) => m.line === 3)?.text).toBe(ours[1]![0]);
    expect(ours[2]).toEqual([]);
    expect(msgs.find((m) => m.line === 4)?.text).toMatch(/^Unexpected argument 'w2'/);
  });
});
