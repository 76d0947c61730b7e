// Every config of HAProxy 2.6's own regression tests that HAProxy accepts must get no
// error-severity diagnostic from haplo. The corpus lives in shared/ (never copied here):
// see shared/corpus/haproxy-2.6-reg-tests/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEnvironment } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { checkText, describeDiagnostic, errorsOf, sharedPath } from '../support/shared.js';

const corpus = sharedPath('corpus', 'haproxy-2.6-reg-tests');
const files = corpus.exists
  ? readdirSync(corpus.path)
      .filter((f) => f.endsWith('.cfg'))
      .sort()
  : [];

const clean = new Set<string>();
const failing = new Map<string, string[]>();

describe.skipIf(!corpus.exists)('HAProxy 2.6 reg-test corpus: no error on accepted configs', () => {
  it.each(files)('%s', (name) => {
    const text = readFileSync(join(corpus.path, name), 'utf8');
    // The reg-tests were adapted: certificates, maps and Lua files they name are not here,
    // and `${HAPROXY_TEST_TIMEOUT-5s}`-style references fall back to their defaults.
    const { diagnostics } = checkText(text, name, {
      env: defaultEnvironment({}),
      fileExists: () => true,
      readFile: () => undefined,
    });
    const errors = errorsOf(diagnostics).map(describeDiagnostic);
    if (errors.length === 0) clean.add(name);
    else failing.set(name, errors);
    expect(errors, `${name} is accepted by HAProxy 2.6.12`).toEqual([]);
  });

  it('summary: agreement figure', () => {
    const lines = [...failing].map(([name, errors]) => `  ${name}\n${errors.map((e) => `      ${e}`).join('\n')}`);
    console.log(
      `corpus agreement: ${clean.size}/${files.length} clean` + (lines.length ? `\nwith errors:\n${lines.join('\n')}` : ''),
    );
  });
});

describe.skipIf(corpus.exists)('HAProxy 2.6 reg-test corpus', () => {
  it('is skipped: shared/corpus/haproxy-2.6-reg-tests is absent', () => {
    console.log(`corpus test skipped: ${corpus.path} does not exist (shared/ is expected beside the repository)`);
  });
});
