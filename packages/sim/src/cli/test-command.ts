// `haplo test CONFIG CASES [--coverage] [--fail-under PERCENT]`: runs every case, prints passes
// and failures (expected against actual, and the trace of a failure), lists the rules no case
// exercised, and exits 1 on any failure or when coverage is under the bar.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pipeline } from '../pipeline/compile.js';
import { SimInputError } from '../pipeline/request.js';
import type { SimResult } from '../pipeline/types.js';
import { renderText } from '../trace/text.js';
import type { SimIo } from './io.js';
import { loadConfig } from './load-config.js';
import { fromSpec } from './requests.js';
import { compare, validateCaseFile, type CaseFile, type Mismatch } from './test-cases.js';

export const TEST_USAGE = `Usage: haplo test CONFIG CASES [options]

Runs request/expectation cases (a JSON file) against a configuration:
  { "cases": [ { "name": "api goes to be_api",
                 "request": { "method": "GET", "path": "/api", "headers": [["host", "a"]] },
                 "expect": { "backend": "be_api", "server": "s1", "outcome": "forward", "status": 200,
                             "requestHeaders": { "x-tag": "api", "x-gone": null },
                             "responseHeaders": { "x-served": "1" }, "vars": { "txn.route": "api" } } } ] }
A case may hold "requests": [ … ] (run in order on one runtime, each with an optional "expect").

Options:
  --coverage             list the rules no case exercised
  --fail-under PERCENT   exit 1 when rule coverage is below PERCENT (implies --coverage)
  --env FILE             KEY=VALUE lines for .if, \${VAR} and env()
  -h, --help             show this help

Exit status: 0 all cases pass, 1 failures (or configuration errors, or coverage too low), 2 misuse.
`;

/** Every rule the pipeline can run, by `file:line`, with its text. */
export function allRules(p: Pipeline): Map<string, { file: string; line: number; text: string }> {
  const out = new Map<string, { file: string; line: number; text: string }>();
  for (const px of p.proxies) {
    const phases = [px.tcpConnection, px.tcpSession, px.tcpContent, px.httpRequest, px.redirect, px.tcpResponse, px.httpResponse, px.afterResponse];
    for (const ph of phases) for (const r of ph.rules) out.set(`${r.file}:${r.line}`, r);
    for (const r of px.switching?.rules ?? []) out.set(`${r.file}:${r.line}`, r);
  }
  return out;
}

/** Rules whose action ran (condition true or absent) in some result. */
export function exercised(results: readonly SimResult[]): Set<string> {
  const s = new Set<string>();
  for (const r of results) for (const e of r.trace) if (e.type === 'rule' && e.condition !== false) s.add(`${e.file}:${e.line}`);
  return s;
}

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

export function runTest(args: string[], io: SimIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        coverage: { type: 'boolean' },
        'fail-under': { type: 'string' },
        env: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`haplo test: ${(e as Error).message}\n\n${TEST_USAGE}`);
    return 2;
  }
  const { values: f, positionals } = parsed;
  if (f.help) {
    io.stdout(TEST_USAGE);
    return 0;
  }
  if (positionals.length !== 2) {
    io.stderr(`haplo test: expected CONFIG and CASES\n\n${TEST_USAGE}`);
    return 2;
  }
  const failUnder = f['fail-under'] === undefined ? undefined : Number(f['fail-under']);
  if (failUnder !== undefined && !(failUnder >= 0 && failUnder <= 100)) {
    io.stderr(`haplo test: --fail-under expects a percentage (0-100)\n`);
    return 2;
  }
  const [config, casesPath] = positionals as [string, string];
  let file: CaseFile;
  try {
    file = JSON.parse(readFileSync(resolve(io.cwd, casesPath), 'utf8')) as CaseFile;
  } catch (e) {
    io.stderr(`haplo test: cannot read cases '${casesPath}': ${(e as Error).message}\n`);
    return 2;
  }
  const invalid = validateCaseFile(file);
  if (invalid) {
    io.stderr(`haplo test: ${casesPath}: ${invalid}\n`);
    return 2;
  }
  const loaded = loadConfig('test', config, f.env, io);
  if (!loaded.ok) return loaded.code;
  const pipeline = loaded.pipeline;
  const c = io.color;

  const all: SimResult[] = [];
  let failed = 0;
  for (const tc of file.cases) {
    const runtime = pipeline.createRuntime();
    const steps = tc.requests ?? [tc.request!];
    const problems: { step: number; mismatches: Mismatch[]; result: SimResult }[] = [];
    let error: string | undefined;
    steps.forEach((spec, i) => {
      if (error) return;
      const { request, reply } = fromSpec(spec);
      let result: SimResult;
      try {
        result = pipeline.run(request, runtime, reply);
      } catch (e) {
        if (!(e instanceof SimInputError)) throw e;
        error = e.message;
        return;
      }
      all.push(result);
      const expectations = [(spec as { expect?: CaseFile['cases'][number]['expect'] }).expect, i === steps.length - 1 ? tc.expect : undefined];
      for (const exp of expectations) {
        if (!exp) continue;
        const m = compare(exp, result);
        if (m.length) problems.push({ step: i + 1, mismatches: m, result });
      }
    });
    if (!error && problems.length === 0) {
      io.stdout(`${c.green('✓')} ${tc.name}\n`);
      continue;
    }
    failed++;
    io.stdout(`${c.red('✗')} ${c.bold(tc.name)}\n`);
    if (error) io.stdout(`    ${c.red(error)}\n`);
    for (const p of problems) {
      const where = steps.length > 1 ? ` (request ${p.step})` : '';
      for (const m of p.mismatches) io.stdout(`    ${m.what}${where}: expected ${c.green(show(m.expected))}, got ${c.red(show(m.actual))}\n`);
    }
    const last = problems[problems.length - 1];
    if (last) io.stdout(renderText(last.result, c).replace(/^/gm, '    │ ') + '\n');
  }
  const total = file.cases.length;
  io.stdout(`\n${failed ? c.red.bold(`${failed} failed`) : c.green.bold('all passed')}, ${total - failed}/${total} case${total === 1 ? '' : 's'} passed\n`);

  let coverageLow = false;
  if (f.coverage || failUnder !== undefined) {
    const rules = allRules(pipeline);
    const hit = exercised(all);
    const missed = [...rules.entries()].filter(([k]) => !hit.has(k));
    const pct = rules.size === 0 ? 100 : ((rules.size - missed.length) / rules.size) * 100;
    io.stdout(`rule coverage: ${pct.toFixed(1)}% (${rules.size - missed.length}/${rules.size} rules exercised)\n`);
    for (const [, r] of missed) io.stdout(`  ${c.yellow('not exercised')} ${r.file}:${r.line}  ${r.text}\n`);
    if (failUnder !== undefined && pct < failUnder) {
      io.stdout(c.red(`coverage ${pct.toFixed(1)}% is under --fail-under ${failUnder}%\n`));
      coverageLow = true;
    }
  }
  return failed || coverageLow ? 1 : 0;
}
