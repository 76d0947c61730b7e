// The sample config of the design note this project grew from (shared/examples/design-note.cfg)
// has one mistake per feature; haplo must report each one precisely, once, with its fix, and no
// other error.
import { readFileSync } from 'node:fs';
import { defaultEnvironment, type Diagnostic } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { applyFix, checkText, describeDiagnostic, errorsOf, sharedPath } from '../support/shared.js';

const example = sharedPath('examples', 'design-note.cfg');
const FILE = 'design-note.cfg';

interface Expected {
  /** 1-based line. */
  line: number;
  /** A diagnostic code, or undefined when any error code will do (unknown keyword/action). */
  code?: string;
  /** What the line reads after applying the first fix, when a fix is expected. */
  fixedLine?: string | ((original: string) => string);
  what: string;
  /** Checked on this edit of the file instead of the original (a mistake hidden behind another one). */
  prepare?: (text: string) => string;
}

describe.skipIf(!example.exists)('design-note.cfg: one precise diagnostic per mistake', () => {
  const text = example.exists ? readFileSync(example.path, 'utf8') : '';
  const lines = text.split('\n');
  const run = (source = text) =>
    checkText(source, FILE, { env: defaultEnvironment({}), fileExists: () => false, readFile: () => undefined }).diagnostics;

  const commentLines = lines.flatMap((l, i) => (/^\s*\/\//.test(l) ? [i + 1] : []));
  const expected: Expected[] = [
    ...commentLines.map(
      (line): Expected => ({
        line,
        code: 'HAP1031',
        fixedLine: (orig) => orig.replace('//', '#'),
        what: '"//" comment',
      }),
    ),
    {
      line: 4,
      code: 'HAP3007',
      fixedLine: '    tcp-request content reject if !{ req.fhdr(netease) -m found }',
      what: 'fetch req.fhdr(netease) used as an ACL name (keeping the !)',
    },
    { line: 13, fixedLine: (orig) => orig.replace('use_server', 'use-server'), what: 'unknown keyword use_server' },
    {
      line: 13,
      code: 'HAP3007',
      // HAProxy stops at the unknown keyword; once it reads `use-server`, the condition is next.
      prepare: (t) => t.replace('use_server server-1', 'use-server server-1'),
      fixedLine: '    use-server server-1 if { req.fhdr(server-1) -m found }',
      what: 'after the use-server fix, fetch req.fhdr(server-1) used as an ACL name',
    },
    { line: 16, code: 'HAP4006', what: 'stick on src with no stick-table' },
    { line: 19, fixedLine: '    http-response set-header USE-HAPROXY-BE be ', what: 'unknown action "set header"' },
    { line: 25, code: 'HAP4011', what: 'crt file not found' },
    { line: 40, fixedLine: (orig) => orig.replace('use-backend', 'use_backend'), what: 'unknown keyword use-backend' },
    { line: 42, fixedLine: '    http-response set-header USE-HAPROXY-FE fe ', what: 'unknown action "set header"' },
  ];

  it('has the mistakes this test expects (12 "//" lines)', () => {
    expect(commentLines).toEqual([3, 6, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39]);
  });

  /** The errors on `line`, with the given code, or (no code) not one of the codes another expectation claims there. */
  function candidates(diags: readonly Diagnostic[], e: Expected): Diagnostic[] {
    const onLine = errorsOf(diags).filter((d) => d.range.start.line === e.line - 1);
    if (e.code) return onLine.filter((d) => d.code === e.code);
    const claimed = new Set(expected.filter((o) => o.line === e.line && o.code).map((o) => o.code));
    return onLine.filter((d) => !claimed.has(d.code));
  }

  it.each(expected.map((e) => [`${e.line}`, e.what, e] as const))('line %s: %s', (_l, _w, e) => {
    const source = e.prepare ? e.prepare(text) : text;
    const diags = run(source);
    const found = candidates(diags, e);
    const all = diags.map(describeDiagnostic).join('\n  ');
    expect(found.length, `exactly one ${e.code ?? 'error'} on line ${e.line} (${e.what}); haplo said:\n  ${all}`).toBe(1);
    const d = found[0]!;
    if (e.fixedLine !== undefined) {
      expect(d.fixes?.length ?? 0, `a fix for ${e.what}: ${describeDiagnostic(d)}`).toBeGreaterThan(0);
      const original = lines[e.line - 1]!;
      const want = typeof e.fixedLine === 'string' ? e.fixedLine : e.fixedLine(original);
      const fixed = applyFix(source, d).split('\n');
      // The fix touches this line only: same number of lines, the line reads as expected.
      expect(fixed.length).toBe(lines.length);
      expect(fixed[e.line - 1], `fix "${d.fixes![0]!.title}" of ${describeDiagnostic(d)}`).toBe(want);
    }
  });

  it('reports no other error', () => {
    const diags = run();
    const accounted = new Set<Diagnostic>();
    // (On the original text, at most one HAP3007 on line 13 is allowed too: it is a real mistake.)
    for (const e of expected) for (const d of candidates(diags, e).slice(0, 1)) accounted.add(d);
    const others = errorsOf(diags).filter((d) => !accounted.has(d));
    const rest = diags.filter((d) => d.severity !== 'error').map(describeDiagnostic);
    expect(
      others.map(describeDiagnostic),
      `unexpected errors; non-error diagnostics were:\n  ${rest.join('\n  ') || '(none)'}`,
    ).toEqual([]);
  });
});

describe.skipIf(example.exists)('design-note.cfg', () => {
  it('is skipped: shared/examples/design-note.cfg is absent', () => {
    console.log(`design-note test skipped: ${example.path} does not exist`);
  });
});
