// The probes of shared/reference/probes/: small configs, each probing one rule, with the
// output HAProxy 2.6.12 gave for each in results.log. HAProxy is the oracle:
// - rejected (exit 1): haplo reports an error on every line an ALERT names (an ALERT with no
//   line, like an unknown backend, needs an error somewhere in the file);
// - accepted (exit 0, or 2 = valid but no listener): haplo reports no error.
// Warnings are compared too, for the figures only.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultEnvironment, type Diagnostic } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { parseHaproxyOutput, type HaproxyMessage } from '../support/haproxy.js';
import { checkText, coversLine, describeDiagnostic, errorsOf, sharedPath } from '../support/shared.js';

const probes = sharedPath('reference', 'probes');
const log = sharedPath('reference', 'probes', 'results.log');

/** The variables the probes were run with (C01 and L07 show them: FOO, EMPTY, MULTI, WITH_SSL). */
const PROBE_ENV = { FOO: 'foo_value', EMPTY: '', MULTI: 'a b  c', WITH_SSL: 'yes' };

interface ProbeRun {
  name: string;
  /** The config as the log echoes it (what HAProxy actually judged). */
  text: string;
  exitCode: number;
  alerts: HaproxyMessage[];
  warnings: HaproxyMessage[];
  output: string;
}

/**
 * Blocks `===== NAME.cfg =====`, the config echoed as `| ` lines, then `----- haproxy -c … -----`
 * (glued to the last config line when that line has no LF, as in L03) and the output up to the
 * first `[exit=N]`. Anything after `[exit=N]` and before the next block is stray output of
 * another run and is ignored.
 */
function parseResultsLog(text: string): ProbeRun[] {
  const runs: ProbeRun[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const header = /^===== (\S+) =====$/.exec(lines[i]!);
    i++;
    if (!header) continue;
    const echo: string[] = [];
    while (i < lines.length && !lines[i]!.includes('----- haproxy') && !lines[i]!.startsWith('===== ')) echo.push(lines[i++]!);
    if (i >= lines.length || !lines[i]!.includes('----- haproxy')) continue;
    // A last line without LF (L03) is glued to the `-----` line.
    const glued = lines[i]!.slice(0, lines[i]!.indexOf('----- haproxy'));
    i++;
    const out: string[] = [];
    let exitCode: number | undefined;
    while (i < lines.length && !lines[i]!.startsWith('===== ')) {
      const exit = /^\[exit=(\d+)\]$/.exec(lines[i]!);
      if (exit) {
        exitCode = Number(exit[1]);
        i++;
        break;
      }
      out.push(lines[i]!);
      i++;
    }
    if (exitCode === undefined) continue;
    const output = out.join('\n');
    const text = [...echo, glued]
      .map((l) => (l.startsWith('| ') ? l.slice(2) : l.startsWith('|') ? l.slice(1) : l))
      .join('\n')
      .replace(/\^I/g, '\t')
      .replace(/\^M/g, '\r');
    runs.push({ name: header[1]!, text, exitCode, ...parseHaproxyOutput(output), output });
  }
  return runs;
}

const runs = log.exists ? parseResultsLog(readFileSync(log.path, 'utf8')) : [];

/**
 * haplo sees the config the log echoes (`cat -vT` style: tabs as ^I, CRs as ^M), not the file
 * beside it: two files changed after the run (S06 was edited; L14 lost its CRLF line ends), and
 * HAProxy's verdict is about the echoed text. Files it names still resolve in the probe folder.
 */
function check(run: ProbeRun): Diagnostic[] {
  return checkText(run.text, run.name, {
    env: defaultEnvironment(PROBE_ENV),
    fileExists: (p) => existsSync(resolve(probes.path, p)),
    readFile: (p) => {
      const full = resolve(probes.path, p);
      return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    },
  }).diagnostics;
}

/** Whether haplo has a diagnostic (of the accepted severities) matching one HAProxy message. */
function matches(run: ProbeRun, msg: HaproxyMessage, diags: readonly Diagnostic[]): boolean {
  if (msg.line === undefined || (msg.file !== undefined && msg.file !== run.name)) return diags.length > 0;
  return diags.some((d) => coversLine(d, msg.line!, run.name));
}

function place(run: ProbeRun, msg: HaproxyMessage): string {
  return msg.line === undefined ? `${run.name}:(no line)` : `${msg.file ?? run.name}:${msg.line}`;
}

const figures = {
  accepted: { clean: 0, total: 0 },
  rejected: { matched: 0, total: 0 },
  warnings: { matched: 0, total: 0 },
};
const disagreements: string[] = [];
const warningMisses: string[] = [];

describe.skipIf(!log.exists)('probes: haplo agrees with HAProxy 2.6.12 (results.log)', () => {
  it.each(runs.map((r) => [r.name, r] as const))('%s', (_name, run) => {
    const diagnostics = check(run);
    const errors = errorsOf(diagnostics);
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    const haplo = diagnostics.map(describeDiagnostic).join('\n    ') || '(nothing)';

    for (const w of run.warnings) {
      figures.warnings.total++;
      if (matches(run, w, warnings)) figures.warnings.matched++;
      else warningMisses.push(`${place(run, w)} HAProxy warns: ${w.message.split('\n')[0]}`);
    }

    if (run.exitCode === 1) {
      figures.rejected.total++;
      const missed = run.alerts.filter((a) => !matches(run, a, errors));
      if (missed.length === 0) figures.rejected.matched++;
      for (const a of missed) disagreements.push(`${place(run, a)} HAProxy: ${a.message.split('\n')[0]}\n    haplo: ${haplo}`);
      expect(
        missed.map((a) => `${place(run, a)}: ${a.message.split('\n')[0]}`),
        `HAProxy rejects ${run.name}; haplo has no error on these ALERT lines.\nhaplo said:\n    ${haplo}`,
      ).toEqual([]);
      // A rejected probe with ALERTs only elsewhere would pass vacuously; HAProxy always prints one.
      expect(errors.length, `HAProxy rejects ${run.name}, haplo reports no error`).toBeGreaterThan(0);
    } else {
      figures.accepted.total++;
      if (errors.length === 0) figures.accepted.clean++;
      else disagreements.push(`${run.name} HAProxy accepts (exit ${run.exitCode})\n    haplo: ${errors.map(describeDiagnostic).join('\n    ')}`);
      expect(errors.map(describeDiagnostic), `HAProxy accepts ${run.name} (exit ${run.exitCode})`).toEqual([]);
    }
  });

  it('summary: agreement figures', () => {
    const { accepted, rejected, warnings } = figures;
    console.log(
      [
        `probe agreement (${runs.length} probes from results.log):`,
        `  accepted probes clean: ${accepted.clean}/${accepted.total}`,
        `  rejected probes with every ALERT line matched: ${rejected.matched}/${rejected.total}`,
        `  HAProxy warnings haplo also warns about: ${warnings.matched}/${warnings.total}`,
        ...(disagreements.length ? ['disagreements:', ...disagreements.map((d) => `  ${d}`)] : []),
        ...(warningMisses.length ? ['warnings haplo does not report:', ...warningMisses.map((d) => `  ${d}`)] : []),
      ].join('\n'),
    );
  });
});

describe.skipIf(log.exists)('probes', () => {
  it('is skipped: shared/reference/probes/results.log is absent', () => {
    console.log(`probe test skipped: ${log.path} does not exist (shared/ is expected beside the repository)`);
  });
});
