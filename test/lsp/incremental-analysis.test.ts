// The language server re-analyses only the section an edit touched (packages/parser/src/
// incremental). Whatever the edit, the diagnostics it then publishes must be exactly those of a
// full analysis of the new text: a property test applies random edits to HAProxy's regression-
// test configurations (and a generated multi-tenant one) and compares both after every edit.
//   HAPLO_SEED=1234 npx vitest run test/lsp/incremental-analysis.test.ts   to try other edits
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSources, defaultEnvironment, IncrementalDocument, type Diagnostic } from '@haplo/parser';
import { sharedPath } from '../support/shared.js';

const env = defaultEnvironment({ HOME: '/home/haplo' });
const PATH = '/etc/haproxy/haproxy.cfg';
const SEED = Number(process.env.HAPLO_SEED ?? 20_260_601);
const corpus = sharedPath('corpus', 'haproxy-2.6-reg-tests');
if (!corpus.exists) console.warn(`incremental-analysis.test.ts: the corpus property test is skipped: ${corpus.path} is absent.`);

/** Files some checks look for; whether they exist must not depend on the path taken. */
const fileExists = (p: string): boolean => p.includes('exists');

/** A small configuration with several tenants, like the benchmark's (bench/generate-config.js). */
function tenants(count: number): string {
  const out = ['global', '    log stdout format raw local0', '', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', ''];
  out.push('backend st_rates', '    stick-table type ip size 1m expire 10m store http_req_rate(10s)', '');
  for (let i = 0; i < count; i++) {
    out.push(`frontend fe_${i}`, `    bind :${8000 + i}`, `    acl a_${i} path_beg /api/v${i}`, `    acl unused_${i} src 10.0.0.0/8`);
    out.push(`    http-request track-sc0 src table st_rates`, `    http-request deny if a_${i} { sc_http_req_rate(0) gt 100 }`);
    out.push(`    use_backend be_${i} if a_${i}`, `    default_backend be_${(i + 1) % count}`, '');
    out.push(`backend be_${i}`, `    balance roundrobin`, `    server s${i} 10.0.${i}.1:8080 check`, `    server s${i}b 10.0.${i}.2:8080 check backup`, '');
  }
  return out.join('\n');
}

/** The same with mistakes the reference checks report: unknown backends and tables, a duplicate, an unused backend. */
function tenantsWithMistakes(count: number): string {
  return tenants(count)
    .replace('    use_backend be_1 if a_1', '    use_backend be_nope if a_1\n    use_backend be_1 if a_1')
    .replace('    http-request track-sc0 src table st_rates\n    http-request deny if a_2', '    http-request track-sc0 src table st_nope\n    http-request deny if a_2')
    .replace('\nbackend be_3\n', '\nbackend be_3\n    server s3 10.9.9.9:80\n')
    .concat('\nbackend be_0\n    server dup 10.0.0.9:80\n\nbackend lonely\n    server l 10.0.0.8:80\n');
}

/** Diagnostics as plain data (ranges of the AST may be getters). */
function plain(ds: readonly Diagnostic[]): unknown {
  return JSON.parse(JSON.stringify(ds, (_k, v) => (v && typeof v === 'object' && 'start' in v && 'end' in v ? { start: { ...v.start }, end: { ...v.end } } : v)));
}

const FRAGMENTS = [
  '', '\n', '\n    ', ' ', '#', '"', '\\', '{ ', ' }', '(', ')', ',', '7', 'x', '-', '%[src]', '${HOME}', 'frontend f2', 'backend b9\n',
  'listen l\n', 'defaults\n', 'acl ', ' if ', '!', ' || ', 'use_backend ', 'be_1', 'server s1 1.2.3.4:80', 'server s9 exists.pem:1',
  'http-request deny', 'path_beg /x', '-m beg ', 'timeout client 5s', 'mode tcp', 'stick-table type ip size 1m', 'table st_rates',
  'sc_http_req_rate(0)', 'set-var(txn.x) ', 'set-var(x) ', ' weight 5', ' backup', ' track be_2/s2', ' inter 2s', ' disabled', '.if defined(HOME)\n', '.endif\n', '# haplo-disable-line HAP2001', '\t', 'é',
];

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.constant(1), fc.nat({ max: 12 })),
  insert: fc.constantFrom(...FRAGMENTS),
});

function apply(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

/** Runs the edits through an IncrementalDocument (re-analysing in full when it declines) and compares with checkSources. */
function compareAlong(text: string, edits: Edit[], counts: { incremental: number; full: number }): void {
  const options = { env, fileExists };
  const first = IncrementalDocument.analyse(PATH, text, options);
  expect(plain(first.result.diagnostics)).toEqual(plain(checkSources([{ path: PATH, text }], options).diagnostics));
  let document = first.document;
  let current = text;
  for (const e of edits) {
    current = apply(current, e);
    let got = document?.update(current);
    if (got) counts.incremental++;
    else {
      counts.full++;
      const again = IncrementalDocument.analyse(PATH, current, options);
      document = again.document;
      got = again.result.diagnostics;
    }
    const expected = checkSources([{ path: PATH, text: current }], options).diagnostics;
    expect(plain(got)).toEqual(plain(expected));
  }
}

describe('incremental analysis', () => {
  it('re-analyses an edit inside one proxy section without a full analysis, with the full result', () => {
    const text = tenants(20);
    const { result, document } = IncrementalDocument.analyse(PATH, text, { env });
    expect(document).toBeDefined();
    expect(plain(result.diagnostics)).toEqual(plain(checkSources([{ path: PATH, text }], { env }).diagnostics));
    const at = text.indexOf('path_beg /api/v7') + 'path_beg /api/v7'.length;
    // An ACL pattern, then a broken one, then a line break inside the section, then back.
    const steps = [text.slice(0, at) + '1' + text.slice(at), text.slice(0, at) + ' -m nope' + text.slice(at), text.slice(0, at) + '\n    acl z path /' + text.slice(at), text];
    for (const next of steps) {
      const got = document!.update(next);
      expect(got, 'answered incrementally').toBeDefined();
      expect(plain(got!)).toEqual(plain(checkSources([{ path: PATH, text: next }], { env }).diagnostics));
    }
  });

  it('declines edits that change what other sections see (a backend renamed), leaving its state as it was', () => {
    const text = tenants(5);
    const { document } = IncrementalDocument.analyse(PATH, text, { env });
    const renamed = text.replace('backend be_3', 'backend be_3x');
    expect(document!.update(renamed)).toBeUndefined();
    const at = text.indexOf('path_beg /api/v2') + 3;
    expect(document!.update(text.slice(0, at) + 'q' + text.slice(at))).toBeDefined();
  });

  it('declines documents with .if blocks or suppression comments', () => {
    expect(IncrementalDocument.analyse(PATH, `.if defined(HOME)\n${tenants(2)}.endif\n`, { env }).document).toBeUndefined();
    expect(IncrementalDocument.analyse(PATH, `${tenants(2)}# haplo-disable-next-line HAP2001\n`, { env }).document).toBeUndefined();
  });

  it('gives the full analysis after random edits of a generated multi-tenant configuration', () => {
    const counts = { incremental: 0, full: 0 };
    const text = tenants(6);
    fc.assert(fc.property(fc.array(editArb, { minLength: 1, maxLength: 10 }), (edits) => compareAlong(text, edits, counts)), { numRuns: 150, seed: SEED });
    console.log(`incremental-analysis (generated): ${counts.incremental + counts.full} edits compared, ${counts.incremental} answered incrementally`);
    expect(counts.incremental).toBeGreaterThan(0);
  }, 120_000);

  it('gives the full analysis after random edits of a configuration with reference mistakes', () => {
    const counts = { incremental: 0, full: 0 };
    const text = tenantsWithMistakes(6);
    fc.assert(fc.property(fc.array(editArb, { minLength: 1, maxLength: 10 }), (edits) => compareAlong(text, edits, counts)), { numRuns: 150, seed: SEED });
    console.log(`incremental-analysis (generated, with mistakes): ${counts.incremental + counts.full} edits compared, ${counts.incremental} answered incrementally`);
    expect(counts.incremental).toBeGreaterThan(0);
  }, 120_000);

  it.skipIf(!corpus.exists)('gives the full analysis after random edits of the regression-test configurations', () => {
    const files = readdirSync(corpus.path).filter((f) => f.endsWith('.cfg')).sort();
    const texts = files.map((f) => readFileSync(join(corpus.path, f), 'utf8'));
    const counts = { incremental: 0, full: 0 };
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(editArb, { minLength: 1, maxLength: 8 }), (i, edits) => compareAlong(texts[i]!, edits, counts)),
      { numRuns: 500, seed: SEED },
    );
    console.log(`incremental-analysis (corpus, ${texts.length} files): ${counts.incremental + counts.full} edits compared, ${counts.incremental} answered incrementally`);
  }, 240_000);
});
