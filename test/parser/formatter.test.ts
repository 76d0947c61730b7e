// `haplo fmt` (formatSource): golden layouts, idempotence, and "same words before and after" on
// every configuration of HAProxy's 2.6 regression tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../packages/parser/src/format/formatter.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { parseConfig } from '../../packages/parser/src/parse/document-parser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpusDir = join(root, '..', 'shared', 'corpus', 'haproxy-2.6-reg-tests');
const env = defaultEnvironment({});

const fmt = (text: string): string => formatSource(text, 'haproxy.cfg');

/** What HAProxy sees: per non-blank line, its kind, whether it is active, and its word values. */
function model(text: string, vars: Record<string, string> = {}): [string, boolean, string[]][] {
  const { file } = parseConfig(text, 'haproxy.cfg', { env: defaultEnvironment(vars) });
  return file.lines.filter((l) => l.kind !== 'blank').map((l) => [l.kind, l.active, l.words.map((w) => w.value)]);
}

function expectStable(input: string): string {
  const once = fmt(input);
  expect(fmt(once)).toBe(once);
  expect(model(once)).toEqual(model(input));
  return once;
}

describe('formatSource: layout', () => {
  it('indents statements by 4, headers at column 0, one space between words', () => {
    const input = [
      '   global',
      'maxconn    100',
      '\t\tlog stdout\tformat raw   local0',
      'defaults',
      '  mode http',
      '      frontend  fe',
      '  bind :80',
      '',
    ].join('\n');
    expect(expectStable(input)).toBe(
      [
        'global',
        '    maxconn 100',
        '    log stdout format raw local0',
        'defaults',
        '    mode http',
        'frontend fe',
        '    bind :80',
        '',
      ].join('\n'),
    );
  });

  it('keeps trailing comments after one space, and glued comments too', () => {
    const input = 'frontend fe\n  bind :80     # public   \n  default_backend be#glued\n';
    expect(expectStable(input)).toBe('frontend fe\n    bind :80 # public\n    default_backend be #glued\n');
  });

  it('indents full-line comments like the statements around them', () => {
    const input = [
      '# file header',
      'global',
      '# about maxconn',
      '        maxconn 10',
      '   # trailing note of global',
      '',
      '  # introduces the backend',
      '# second line',
      'backend be',
      '#inside',
      '  server s1 127.0.0.1:80',
      '',
    ].join('\n');
    expect(expectStable(input)).toBe(
      [
        '# file header',
        'global',
        '    # about maxconn',
        '    maxconn 10',
        '    # trailing note of global',
        '',
        '# introduces the backend',
        '# second line',
        'backend be',
        '    #inside',
        '    server s1 127.0.0.1:80',
        '',
      ].join('\n'),
    );
  });

  it('writes every word as its source text: quoting and escapes are never changed', () => {
    const input = [
      'frontend fe',
      `http-request set-header X-A   "hello world"   if  { path_beg '/a b' }`,
      `   http-request set-header X-B "con"'cat'enated\\ word  "$HOME" '$HOME'`,
      '   http-request deny if !{ src 10.0.0.0/8 } || { hdr(host) -m str "" }',
      `log-format "%[req.hdr(host),lower] %ci:%cp"   # fmt`,
      `  acl a path_reg ^/(foo|bar)\\1$`,
      '',
    ].join('\n');
    expect(expectStable(input)).toBe(
      [
        'frontend fe',
        `    http-request set-header X-A "hello world" if { path_beg '/a b' }`,
        `    http-request set-header X-B "con"'cat'enated\\ word "$HOME" '$HOME'`,
        '    http-request deny if !{ src 10.0.0.0/8 } || { hdr(host) -m str "" }',
        `    log-format "%[req.hdr(host),lower] %ci:%cp" # fmt`,
        `    acl a path_reg ^/(foo|bar)\\1$`,
        '',
      ].join('\n'),
    );
  });

  it('keeps .if blocks flat, markers aligned with their .if', () => {
    const input = [
      '.if defined(TOP)',
      '.notice "top"',
      '.endif',
      'global',
      '.if feature(OPENSSL)',
      '  ssl-default-bind-options ssl-min-ver TLSv1.2',
      '      .elif   defined(X)',
      '  maxconn 1',
      '.else',
      '   .if defined(Y)',
      '  maxconn 2',
      '   .endif',
      '.endif',
      '',
      '.if defined(WITH_BE)',
      'backend be',
      '    server s 1.2.3.4:80',
      '.endif',
      '',
    ].join('\n');
    expect(expectStable(input)).toBe(
      [
        '.if defined(TOP)',
        '.notice "top"',
        '.endif',
        'global',
        '    .if feature(OPENSSL)',
        '    ssl-default-bind-options ssl-min-ver TLSv1.2',
        '    .elif defined(X)',
        '    maxconn 1',
        '    .else',
        '    .if defined(Y)',
        '    maxconn 2',
        '    .endif',
        '    .endif',
        '',
        '.if defined(WITH_BE)',
        'backend be',
        '    server s 1.2.3.4:80',
        '.endif',
        '',
      ].join('\n'),
    );
  });

  it('keeps the text of inactive lines, re-indented', () => {
    // `.if 0` is never taken: its lines are kept as written apart from the indentation.
    const input = 'global\n.if 0\n\t\tmaxconn    "${N[*]}"   10\n  weird   spacing\t\tkept\n.endif\n';
    expect(expectStable(input)).toBe(
      'global\n    .if 0\n    maxconn    "${N[*]}"   10\n    weird   spacing\t\tkept\n    .endif\n',
    );
  });

  it('does not depend on the environment, and writes ${VAR[*]} once', () => {
    const input = 'backend be\n  server  s "${ADDR[*]}"  check\n';
    const out = fmt(input);
    expect(out).toBe('backend be\n    server s "${ADDR[*]}" check\n');
    expect(model(out, { ADDR: 'a b c' })).toEqual(model(input, { ADDR: 'a b c' }));
    const saved = process.env.ADDR;
    process.env.ADDR = '1.2.3.4:80 weight 10';
    try {
      expect(fmt(input)).toBe(out);
    } finally {
      if (saved === undefined) delete process.env.ADDR;
      else process.env.ADDR = saved;
    }
  });

  it('collapses blank lines and drops leading and trailing ones', () => {
    const input = '\n\n\nglobal\n\n\n\n    maxconn 1\n  \n\t\n\ndefaults\n    mode http\n\n\n\n';
    expect(expectStable(input)).toBe('global\n\n    maxconn 1\n\ndefaults\n    mode http\n');
  });

  it('keeps blank lines when ${.LINE} makes line numbers meaningful', () => {
    const input = 'global\n\n\n    setenv L "${.LINE}"\n\n\n';
    expect(expectStable(input)).toBe('global\n\n\n    setenv L "${.LINE}"\n');
  });

  it('turns CRLF into LF and adds the missing final newline', () => {
    expect(expectStable('global\r\n  maxconn 1  \r\r\ndefaults\r\n  mode http')).toBe(
      'global\n    maxconn 1\ndefaults\n    mode http\n',
    );
    expect(fmt('global')).toBe('global\n');
    expect(fmt('')).toBe('');
    expect(fmt('\n\n  \r\n')).toBe('');
  });

  it('copies lines with lexical errors verbatim', () => {
    const input = [
      'frontend fe',
      '   http-request set-header X "unterminated   ',
      '  acl bad  hdr(x) -m str "\\xZZ"',
      '  log   "price $5"',
      '  bind   :80',
      '',
    ].join('\n');
    expect(expectStable(input)).toBe(
      [
        'frontend fe',
        '   http-request set-header X "unterminated   ',
        '  acl bad  hdr(x) -m str "\\xZZ"',
        '  log   "price $5"',
        '    bind :80',
        '',
      ].join('\n'),
    );
  });

  it('keeps lines with a CR or NUL in the middle', () => {
    const cr = 'global\n  maxconn 1\rignored   by haproxy\n';
    expect(expectStable(cr)).toBe('global\n    maxconn 1\rignored   by haproxy\n');
    const nul = 'global\n  maxconn 1\0 x\n';
    expect(expectStable(nul)).toBe(nul);
  });

  it('keeps the separator before a comment at the 64-word limit', () => {
    const words = Array.from({ length: 64 }, (_, i) => `w${i}`).join(' ');
    const glued = `global\n  ${words}#c\n`;
    expect(expectStable(glued)).toBe(`global\n    ${words}#c\n`);
  });

  it('never turns a separator into an escape after a trailing backslash', () => {
    // `a\<TAB>b` is two words, `a\` and `b`; `a\ b` would be one word, `a b`.
    expect(expectStable('global\n  setenv A a\\\tb\t# c\n')).toBe('global\n    setenv A a\\\tb # c\n');
    expect(expectStable('global\n  setenv A a\\\t# c\n')).toBe('global\n    setenv A a\\\t# c\n');
    // An escaped space ending an inactive line is part of its last word, not a trailing blank.
    expect(expectStable('global\n.if 0\n  setenv A a\\ \n.endif\n')).toBe('global\n    .if 0\n    setenv A a\\ \n    .endif\n');
  });

  it('puts statements before any section at column 0', () => {
    expect(expectStable('   maxconn 1\n  # c\nglobal\n')).toBe('maxconn 1\n# c\nglobal\n');
  });

  it('never throws', () => {
    for (const input of ['\0', '"', "'", '\\', '\\x', '"$', '"${', '"${X', '"${X[', '.if', '.endif', '.elif', '.else x', '.if (', '.alert "x"\nglobal\n  a  b', '\r', '\r\r\r', '\uFEFFglobal', '\ud800']) {
      expect(() => expectStable(input)).not.toThrow();
    }
  });

  it('formats 100,000 lines idempotently', () => {
    const block = 'frontend fe\n  bind :80 # c\n  http-request set-header X "a b" if { path_beg /x }\n\n\n  default_backend be\n';
    const text = block.repeat(20_000);
    const out = formatSource(text, 'big.cfg');
    expect(out).toBe(formatSource(out, 'big.cfg'));
    expect(out).not.toMatch(/\n\n\n/);
  });
});

describe.skipIf(!existsSync(corpusDir))(
  `formatSource on the HAProxy 2.6 regression-test configs (${corpusDir}; skipped when missing)`,
  () => {
    const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.cfg')).sort() : [];

    it('finds the corpus', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files)('%s: idempotent, same words', (name) => {
      const text = readFileSync(join(corpusDir, name), 'utf8');
      const once = fmt(text);
      expect(fmt(once)).toBe(once);
      expect(model(once)).toEqual(model(text));
      expect(once.endsWith('\n') || once === '').toBe(true);
      expect(once).not.toMatch(/\n\n\n/);
      expect(once).not.toMatch(/\r/);
    });
  },
);
