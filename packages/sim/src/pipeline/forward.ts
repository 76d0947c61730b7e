// The last request step before the server: headers HAProxy adds itself. `option forwardfor`
// appends a separate `x-forwarded-for: <src>` line after the rule-added headers (R05), unless
// the source is in `except <net>` or, with `if-none`, the header is already there; `header`
// renames it. `option originalto` does the same with the destination address.
import type { ProxyModel } from '@haplo/parser';
import { parseIpPattern } from '../acl/patterns.js';
import { applyMask, formatAddress, sameBytes } from '../sample/address.js';
import { addHeader, hasHeader } from '../stream/headers.js';
import type { StreamContext } from '../stream/context.js';

interface HeaderOption {
  header: string;
  except?: (ctx: StreamContext, which: 'src' | 'dst') => boolean;
  ifNone: boolean;
}

function compileOption(proxy: ProxyModel, name: 'forwardfor' | 'originalto', defaultHeader: string): HeaderOption | undefined {
  const o = proxy.options.get(name);
  if (!o || !o.value) return undefined;
  const words = o.statement.args.map((w) => w.value);
  const start = words[0] === name ? 1 : 0;
  let header = defaultHeader;
  let ifNone = false;
  let except: HeaderOption['except'];
  for (let i = start; i < words.length; i++) {
    const w = words[i];
    if (w === 'header') header = words[++i] ?? header;
    else if (w === 'if-none') ifNone = true;
    else if (w === 'except') {
      const net = parseIpPattern(words[++i] ?? '', true);
      if (net) {
        except = (ctx, which) => {
          const a = ctx.conn[which];
          return a.family === net.family && sameBytes(applyMask(a.bytes, net.mask), net.bytes);
        };
      }
    }
  }
  return { header, ifNone, except };
}

export interface ForwardHeaders {
  apply(ctx: StreamContext): string[];
}

/** Compiles forwardfor/originalto of the frontend and backend (the backend's settings win). */
export function compileForwardHeaders(fe: ProxyModel, be: ProxyModel): ForwardHeaders {
  const ff = compileOption(be, 'forwardfor', 'X-Forwarded-For') ?? compileOption(fe, 'forwardfor', 'X-Forwarded-For');
  const ot = compileOption(be, 'originalto', 'X-Original-To') ?? compileOption(fe, 'originalto', 'X-Original-To');
  return {
    apply(ctx) {
      const changes: string[] = [];
      const h = ctx.request?.headers;
      // Neither option (the usual backend): nothing to add, no option list to walk.
      if (!h || (!ff && !ot)) return changes;
      for (const [opt, which] of [[ff, 'src'], [ot, 'dst']] as const) {
        if (!opt) continue;
        const addr = ctx.conn[which];
        if (opt.except?.(ctx, which)) { changes.push(`${opt.header.toLowerCase()} not added (except)`); continue; }
        if (opt.ifNone && hasHeader(h, opt.header)) { changes.push(`${opt.header.toLowerCase()} kept (if-none)`); continue; }
        const v = formatAddress(addr);
        addHeader(h, opt.header.toLowerCase(), v);
        changes.push(`added ${opt.header.toLowerCase()}: ${v}`);
      }
      return changes;
    },
  };
}
