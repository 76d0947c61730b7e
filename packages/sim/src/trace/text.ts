// The readable face of a result: every phase in order, each rule with its config line, the
// ACLs it evaluated (sample fetched, matched or not), what the action changed, the backend and
// server with the reason, the request as forwarded and the response as returned.
import type { ChalkInstance } from 'chalk';
import type { AclEvaluation } from '../condition/compile.js';
import type { SimResult } from '../pipeline/types.js';
import type { MessageSnapshot, TraceEvent } from './events.js';

function aclLine(a: AclEvaluation, c: ChalkInstance): string {
  const values = a.values.length ? a.values.map((v) => JSON.stringify(v)).join(', ') : c.dim('no sample');
  const verdict = a.result === 'miss' ? c.yellow('miss') : a.matched ? c.green('match') : c.red('no match');
  const where = a.name && a.line ? c.dim(` (acl line ${a.line})`) : '';
  return `${a.negated ? '!' : ''}${a.text}${where}: ${values} → ${verdict}`;
}

function message(m: MessageSnapshot, c: ChalkInstance, indent: string): string {
  let out = '';
  if (m.method !== undefined) out += `${indent}${c.bold(`${m.method} ${m.uri}${m.version ? ` HTTP/${m.version}` : ''}`)}\n`;
  if (m.status !== undefined) out += `${indent}${c.bold(`${m.status} ${m.reason ?? ''}`.trimEnd())}\n`;
  for (const [n, v] of m.headers) out += `${indent}${c.cyan(n)}: ${v}\n`;
  if (m.body) {
    const lines = m.body.replace(/\n$/, '').split('\n');
    out += `${indent}${c.dim('body:')} ${lines.map((l, i) => (i ? `${indent}      ${l}` : l)).join('\n')}\n`;
  }
  return out;
}

function rule(e: Extract<TraceEvent, { type: 'rule' }>, c: ChalkInstance): string {
  const num = c.dim(String(e.line).padStart(4));
  let mark: string;
  if (e.unsupported) mark = c.yellow('⚠ not simulated');
  else if (e.condition === false) mark = c.dim('✗ skipped (condition false)');
  else mark = c.green('✓') + (e.change ? ` ${e.change}` : '');
  let out = `${num}  ${e.condition === false ? c.dim(e.text) : e.text}\n        ${mark}${e.unsupported ? c.yellow(`: ${e.unsupported}`) : ''}\n`;
  for (const a of e.acls) out += `          ${aclLine(a, c)}\n`;
  return out;
}

/** Renders one result as a coloured trace. */
export function renderText(r: SimResult, c: ChalkInstance, heading?: string): string {
  let out = '';
  if (heading) out += c.bold.underline(heading) + '\n';
  const events = r.trace;
  let phase = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (e.type) {
      case 'phase': {
        phase = e.phase;
        let rules = 0;
        for (let j = i + 1; j < events.length; j++) {
          const f = events[j]!;
          if (f.type === 'phase' || f.type === 'phase-end') break;
          if (f.type === 'rule') rules++;
        }
        const title = `${e.phase} · ${e.proxy}`;
        const quiet = rules === 0 && e.phase !== 'server selection' && e.phase !== 'forward';
        out += quiet ? c.dim(`── ${title} (no rules)\n`) : c.magenta.bold(`── ${title}\n`);
        break;
      }
      case 'rule': out += rule(e, c); break;
      case 'phase-end':
        if (e.verdict === 'stop') out += c.dim('        rule set ends here (allow/accept)\n');
        // A use_backend match only ends the switching rules; other final verdicts end the stream.
        if (e.verdict === 'final') out += phase === 'use_backend' ? c.dim('        first match wins: later use_backend rules do not run\n') : c.yellow.bold('        final: the stream stops here\n');
        if (e.verdict === 'wait') out += c.yellow('        waiting for more data (inspect-delay)\n');
        break;
      case 'backend':
        out += e.backend
          ? `   ${c.bold('→ backend')} ${c.green.bold(e.backend)} ${c.dim(`(${e.how}${e.line ? `, line ${e.line}` : ''})`)}\n`
          : `   ${c.red.bold('→ no backend')} ${c.dim(`(${e.how})`)}\n`;
        break;
      case 'server':
        out += e.server
          ? `   ${c.bold('→ server')} ${c.green.bold(e.server)} ${c.dim(`(${e.reason}: ${e.detail})`)}\n`
          : `   ${c.red.bold('→ no server')} ${c.dim(`(${e.detail})`)}\n`;
        break;
      case 'forward':
        for (const ch of e.changes) out += `        ${c.green('✓')} ${ch}\n`;
        out += `   ${c.bold('request as forwarded:')}\n${message(e.request, c, '     ')}`;
        break;
      case 'response':
        out += c.magenta.bold(`── response from ${e.source === 'server' ? 'the server' : 'HAProxy itself'}\n`);
        out += message(e.response, c, '     ');
        break;
      case 'note': out += `        ${c.dim('•')} ${e.text}\n`; break;
      case 'end': break;
    }
  }
  const colour = r.outcome === 'forward' ? c.green : r.outcome === 'reject' || r.outcome === 'error' ? c.red : c.yellow;
  out += c.bold('══ ') + colour.bold(r.outcome) + c.bold(
    ` · frontend ${r.frontend}${r.backend ? ` · backend ${r.backend}` : ''}${r.server ? ` · server ${r.server}` : ''}${r.status !== null ? ` · status ${r.status}` : ' · no response'}`) + '\n';
  if (r.response) {
    out += `   ${c.bold('response as returned:')}\n`;
    out += message({ status: r.response.status, reason: reasonOf(r), headers: r.response.headers, body: r.body ?? '' }, c, '     ');
  }
  return out;
}

function reasonOf(r: SimResult): string {
  for (let i = r.trace.length - 1; i >= 0; i--) {
    const e = r.trace[i]!;
    if (e.type === 'response') return e.response.reason ?? '';
  }
  return '';
}
