// Whole-proxy checks HAProxy 2.6 runs after parsing: missing client/connect/server timeouts (a
// warning, once per proxy), a frontend or listen without any bind (a warning), and a program
// section without master-worker mode (fatal).
import type { Section } from '../../ast/nodes.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Model, ProxyModel } from '../../model/types.js';
import type { Check } from '../registry.js';
import { fileText, nextLineStart, proxyLabel, proxyNameRange } from './util.js';

const MISSING_TIMEOUTS_TAIL =
  "While not properly invalid, you will certainly encounter various problems with such a configuration. To fix this, please ensure that all following timeouts are set to a non-zero value: 'client', 'connect', 'server'.";

function timeoutSet(proxy: ProxyModel, name: string): boolean {
  const t = proxy.timeouts.get(name);
  return t !== undefined && t.value > 0;
}


function indentOf(section: Section): string {
  for (const stmt of section.statements) if (stmt.line.indent) return stmt.line.indent;
  return '    ';
}

/** Inserts lines right after a section's header line. */
function addLinesFix(model: Model, title: string, section: Section, lines: string[]): Fix {
  const { pos, prefix } = nextLineStart(fileText(model, section.file), section.header.range);
  const indent = indentOf(section);
  const body = lines.map((l) => `${indent}${l}`).join('\n');
  const newText = prefix ? `${prefix}${body}` : `${body}\n`;
  return { title, edits: [{ file: section.file, range: { start: pos, end: pos }, newText }] };
}

export const missingTimeoutsCheck: Check = {
  name: 'missing-timeouts',
  run(ctx) {
    for (const proxy of ctx.model.proxies) {
      if (proxy.mode !== 'tcp' && proxy.mode !== 'http') continue;
      const missing: string[] = [];
      if (proxy.capabilities.frontend && !timeoutSet(proxy, 'client')) missing.push('client');
      if (proxy.capabilities.backend && proxy.servers.length > 0) {
        if (!timeoutSet(proxy, 'connect')) missing.push('connect');
        if (!timeoutSet(proxy, 'server') && (proxy.mode === 'http' || !timeoutSet(proxy, 'tunnel'))) missing.push('server');
      }
      if (missing.length === 0) continue;
      const lines = missing.map((m) => `timeout ${m} 30s`);
      const fixes: Fix[] = [addLinesFix(ctx.model, `Add ${lines.map((l) => `'${l}'`).join(', ')} to ${proxyLabel(proxy)}`, proxy.section, lines)];
      if (proxy.defaults) {
        fixes.push(addLinesFix(ctx.model, `Add ${lines.map((l) => `'${l}'`).join(', ')} to the defaults section${proxy.defaults.name ? ` '${proxy.defaults.name}'` : ''}`, proxy.defaults.section, lines));
      }
      ctx.report(codes.missingTimeouts, proxy.section.file, proxyNameRange(proxy),
        `missing timeouts for ${proxyLabel(proxy)}. ${MISSING_TIMEOUTS_TAIL} Missing here: ${missing.map((m) => `'timeout ${m}'`).join(', ')}.`,
        { fixes });
    }
  },
};

export const frontendWithoutBindCheck: Check = {
  name: 'frontend-without-bind',
  run(ctx) {
    for (const proxy of ctx.model.proxies) {
      if (!proxy.capabilities.frontend || proxy.binds.length > 0) continue;
      if (proxy.statements.some((s) => s.keyword === 'bind')) continue;
      ctx.report(codes.frontendWithoutBind, proxy.section.file, proxyNameRange(proxy),
        `${proxyLabel(proxy)} has no 'bind' directive. Please declare it as a backend if this was intended.`);
    }
  },
};

export const programMasterWorkerCheck: Check = {
  name: 'program-master-worker',
  run(ctx) {
    const programs = ctx.model.namedSections.get('program') ?? ctx.model.sections.filter((s) => s.kind === 'program');
    if (programs.length === 0 || ctx.model.global.masterWorker) return;
    const global = ctx.model.sections.find((s) => s.kind === 'global');
    for (const section of programs) {
      const fixes = global ? [addLinesFix(ctx.model, "Add 'master-worker' to the global section", global, ['master-worker'])] : [];
      ctx.report(codes.programNeedsMasterWorker, section.file, (section.name ?? section.keyword).range,
        "Can't use a 'program' section without master worker mode.", { fixes });
    }
  },
};
