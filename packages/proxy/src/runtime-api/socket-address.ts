// `stats socket <path|ipv4@host:port|host:port> [level L]` lines of the global section.
import type { Model } from '@haplo/parser';
import type { CliLevel } from './commands.js';

export type CliAddress =
  | { kind: 'unix'; path: string; level: CliLevel }
  | { kind: 'tcp'; host: string; port: number; level: CliLevel };

export function statsSockets(model: Model): CliAddress[] {
  const out: CliAddress[] = [];
  for (const st of model.global.statements) {
    if (st.keyword !== 'stats socket' || !st.line.active || st.modifier) continue;
    const words = st.args.map((w) => w.value);
    const where = words[0];
    if (!where) continue;
    const li = words.indexOf('level');
    const l = li >= 0 ? words[li + 1] : undefined;
    const level: CliLevel = l === 'admin' || l === 'user' ? l : 'operator';
    const tcp = /^(?:ipv4@|ipv6@)?(\[[^\]]*\]|[^/:][^:]*|):(\d+)$/.exec(where);
    if (tcp && !where.startsWith('unix@') && !where.startsWith('/')) {
      const host = tcp[1]!.replace(/^\[|\]$/g, '') || '127.0.0.1';
      out.push({ kind: 'tcp', host: host === '*' ? '0.0.0.0' : host, port: Number(tcp[2]), level });
    } else {
      out.push({ kind: 'unix', path: where.replace(/^unix@/, ''), level });
    }
  }
  return out;
}
