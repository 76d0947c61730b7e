// Header and cookie fetches, shared by the request (`req.*`, `hdr`) and response (`res.*`,
// `shdr`) sides: hdr splits values on commas, fhdr takes whole lines; the plain fetch returns
// the occurrence asked for (last by default) and ACLs try every value.
import { parseAddress } from '../sample/address.js';
import { addr, bin, MISS, parseLeadingInt, sint, str, type Outcome, type Sample } from '../sample/sample.js';
import { isResponsePhase, type StreamContext } from '../stream/context.js';
import { cookieValues, requestCookies, responseCookies } from '../stream/cookies.js';
import { fullValues, pickOccurrence, splitValues, type HeaderList } from '../stream/headers.js';
import { intArg, type CompiledFetch, type FetchDef } from './registry.js';

export type Side = 'req' | 'res' | 'auto';

/** The header list of a side; MISS when the message is not there yet and may come. */
export function headersOf(ctx: StreamContext, side: Side): HeaderList | undefined | typeof MISS {
  const res = side === 'res' || (side === 'auto' && isResponsePhase(ctx.phase));
  const msg = res ? ctx.response : ctx.request;
  if (msg) return msg.headers;
  return ctx.final ? undefined : MISS;
}

type Values = (h: HeaderList, name: string | undefined) => string[];
const SPLIT: Values = splitValues;
const FULL: Values = fullValues;

/** Header values by occurrence: `req.hdr`, `req.fhdr`, `res.hdr`, and their int/ip forms. */
function valueFetch(name: string, side: Side, values: Values, output: 'str' | 'sint' | 'ipv4', toSample: (v: string) => Sample | undefined): FetchDef {
  return {
    name,
    output,
    compile(args): CompiledFetch {
      const header = args[0] === undefined || args[0] === '' ? undefined : args[0];
      const occ = intArg(args[1]);
      const list = (ctx: StreamContext): string[] | typeof MISS | undefined => {
        const h = headersOf(ctx, side);
        if (h === undefined || h === MISS) return h;
        return values(h, header);
      };
      return {
        one(ctx): Outcome {
          const vs = list(ctx);
          if (vs === undefined || vs === MISS) return vs;
          const v = pickOccurrence(vs, occ);
          return v === undefined ? undefined : toSample(v);
        },
        all(ctx) {
          const vs = list(ctx);
          if (vs === MISS) return MISS;
          if (vs === undefined) return [];
          const chosen = occ ? [pickOccurrence(vs, occ)].filter((v): v is string => v !== undefined) : vs;
          const out: Sample[] = [];
          for (const v of chosen) {
            const s = toSample(v);
            if (s) out.push(s);
          }
          return out;
        },
      };
    },
  };
}

function countFetch(name: string, side: Side, values: Values): FetchDef {
  return {
    name,
    output: 'sint',
    compile(args) {
      const header = args[0] === undefined || args[0] === '' ? undefined : args[0];
      return {
        one(ctx) {
          const h = headersOf(ctx, side);
          if (h === undefined || h === MISS) return h;
          return sint(values(h, header).length);
        },
      };
    },
  };
}

const asStr = (v: string): Sample => str(v);
const asInt = (v: string): Sample => sint(parseLeadingInt(v.trim()));
/** hdr_ip: an IPv4 address (optionally followed by `:port`) or an IPv6 address. */
const asIp = (v: string): Sample | undefined => {
  const t = v.trim();
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::\d*)?$/.exec(t);
  const a = parseAddress(m ? m[1]! : t);
  return a ? addr(a) : undefined;
};

/** `hdr`/`req.hdr` family, for one side, under the given names. */
export function headerFetches(side: Side, n: { hdr: string[]; fhdr: string[]; cnt: string[]; fcnt: string[]; val: string[]; ip: string[] }): FetchDef[] {
  const out: FetchDef[] = [];
  for (const name of n.hdr) out.push(valueFetch(name, side, SPLIT, 'str', asStr));
  for (const name of n.fhdr) out.push(valueFetch(name, side, FULL, 'str', asStr));
  for (const name of n.cnt) out.push(countFetch(name, side, SPLIT));
  for (const name of n.fcnt) out.push(countFetch(name, side, FULL));
  for (const name of n.val) out.push(valueFetch(name, side, SPLIT, 'sint', asInt));
  for (const name of n.ip) out.push(valueFetch(name, side, SPLIT, 'ipv4', asIp));
  return out;
}

/** `req.hdrs`/`res.hdrs`: the header block as HTTP/1 text, names in lower case, ending with the empty line. */
export function headerBlockFetch(name: string, side: Side): FetchDef {
  return {
    name,
    output: 'bin',
    compile: () => ({
      one(ctx) {
        const h = headersOf(ctx, side);
        if (h === undefined || h === MISS) return h;
        let s = '';
        for (const e of h.entries) s += `${e.name.toLowerCase()}: ${e.value}\r\n`;
        return bin(new TextEncoder().encode(s + '\r\n'));
      },
    }),
  };
}

/** Cookie fetches for one side: value (last occurrence; first cookie when no name), count, int value. */
export function cookieFetches(side: 'req' | 'res', n: { cook: string[]; cnt: string[]; val: string[] }): FetchDef[] {
  const list = (ctx: StreamContext, name: string | undefined): string[] | undefined | typeof MISS => {
    const h = headersOf(ctx, side);
    if (h === undefined || h === MISS) return h;
    return cookieValues(side === 'req' ? requestCookies(h) : responseCookies(h), name);
  };
  const nameOf = (args: readonly string[]): string | undefined => (args[0] === undefined || args[0] === '' ? undefined : args[0]);
  const out: FetchDef[] = [];
  for (const name of n.cook) {
    out.push({
      name,
      output: 'str',
      compile(args) {
        const cookie = nameOf(args);
        return {
          one(ctx) {
            const vs = list(ctx, cookie);
            if (vs === undefined || vs === MISS) return vs;
            if (vs.length === 0) return undefined;
            return str(cookie === undefined ? vs[0]! : vs[vs.length - 1]!);
          },
          all(ctx) {
            const vs = list(ctx, cookie);
            if (vs === MISS) return MISS;
            return (vs ?? []).map(asStr);
          },
        };
      },
    });
  }
  for (const name of n.cnt) {
    out.push({
      name,
      output: 'sint',
      compile(args) {
        const cookie = nameOf(args);
        return {
          one(ctx) {
            const vs = list(ctx, cookie);
            return vs === undefined || vs === MISS ? vs : sint(vs.length);
          },
        };
      },
    });
  }
  for (const name of n.val) {
    out.push({
      name,
      output: 'sint',
      compile(args) {
        const cookie = nameOf(args);
        return {
          one(ctx) {
            const vs = list(ctx, cookie);
            if (vs === undefined || vs === MISS) return vs;
            return vs.length === 0 ? undefined : asInt(vs[vs.length - 1]!);
          },
          all(ctx) {
            const vs = list(ctx, cookie);
            if (vs === MISS) return MISS;
            return (vs ?? []).map(asInt);
          },
        };
      },
    });
  }
  return out;
}
