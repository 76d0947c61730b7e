// String converters: case, fields and words, regsub, concat, trims, comparisons, JSON and URL
// escaping, and host/port splitting.
import { reportProblem } from '../compile-env.js';
import { compileRegex } from '../regex.js';
import { bin, sint, str, type Sample } from '../sample/sample.js';
import { badVarMessage, getVar, parseVarName } from '../stream/variables.js';
import { cast, sampleToString } from '../sample/sample.js';
import { simple, type ConverterDef } from './registry.js';

const text = (s: Sample): string => s.value as string;

/** Start/end of each field of `s` split on any of `delims`; words drop the empty ones. */
function ranges(s: string, delims: string, words: boolean): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || delims.includes(s[i]!)) {
      if (!words || i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

/** field()/word(): `index` 1-based (negative from the end), `count` fields (0 = to the end). */
function pick(name: string, words: boolean): ConverterDef {
  return {
    name,
    input: 'str',
    output: 'str',
    compile(args, env) {
      const index = Number(args[0]);
      const delims = args[1] ?? '';
      const count = args[2] === undefined ? 1 : Number(args[2]);
      if (!Number.isInteger(index) || !Number.isInteger(count) || delims === '') {
        reportProblem(env, `converter '${name}' : invalid arguments`);
      }
      return (s) => {
        const v = text(s);
        const r = ranges(v, delims, words);
        const n = r.length;
        if (index === 0 || n === 0) return undefined;
        if (index > 0) {
          if (index > n) return undefined;
          const last = count <= 0 ? n : Math.min(n, index + count - 1);
          return str(v.slice(r[index - 1]!.start, count <= 0 || index + count - 1 > n ? v.length : r[last - 1]!.end));
        }
        const idx = n + index + 1;
        if (idx < 1) return undefined;
        const first = count <= 0 ? 1 : Math.max(1, idx - count + 1);
        return str(v.slice(count <= 0 || idx - count + 1 < 1 ? 0 : r[first - 1]!.start, r[idx - 1]!.end));
      };
    },
  };
}

/** `\N` references in a regsub replacement. */
function substitution(template: string): (m: RegExpExecArray | string[]) => string {
  const parts: (string | number)[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length && /\d/.test(template[i + 1]!)) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(Number(template[++i]));
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return (m) => parts.map((p) => (typeof p === 'number' ? (m[p] ?? '') : p)).join('');
}

const regsub: ConverterDef = {
  name: 'regsub',
  input: 'str',
  output: 'str',
  compile(args, env) {
    const flags = args[2] ?? '';
    const re = compileRegex(args[0] ?? '', flags.includes('i'), true);
    if (typeof re === 'string') {
      reportProblem(env, re);
      return () => undefined;
    }
    const global = flags.includes('g');
    const subst = substitution(args[1] ?? '');
    return (s) => {
      const v = text(s);
      re.lastIndex = 0;
      let out = '';
      let pos = 0;
      for (;;) {
        const m = re.exec(v);
        if (!m) break;
        out += v.slice(pos, m.index) + subst(m);
        pos = m.index + m[0].length;
        if (m[0].length === 0) {
          if (m.index >= v.length) break;
          out += v[m.index];
          pos++;
          re.lastIndex = pos;
        }
        if (!global) break;
      }
      return str(out + v.slice(pos));
    };
  },
};

/** An argument that is either literal text or a variable name (concat, strcmp). */
function varArg(arg: string | undefined, env: Parameters<ConverterDef['compile']>[1]) {
  if (arg === undefined || arg === '') return undefined;
  const ref = parseVarName(arg);
  if (!ref) reportProblem(env, badVarMessage(arg));
  return ref;
}

const concat: ConverterDef = {
  name: 'concat',
  input: 'str',
  output: 'str',
  compile(args, env) {
    const before = args[0] ?? '';
    const v = varArg(args[1], env);
    const after = args[2] ?? '';
    return (s, ctx) => {
      let mid = '';
      if (v) {
        const x = getVar(ctx, v);
        const c = x && cast(x, 'str');
        if (c) mid = sampleToString(c);
      }
      return str(text(s) + before + mid + after);
    };
  },
};

const strcmp: ConverterDef = {
  name: 'strcmp',
  input: 'str',
  output: 'sint',
  compile(args, env) {
    const v = varArg(args[0], env);
    return (s, ctx) => {
      const x = v && getVar(ctx, v);
      const c = x && cast(x, 'str');
      if (!c) return undefined;
      const a = Buffer.from(text(s));
      const b = Buffer.from(c.value as string);
      const n = Math.min(a.length, b.length);
      // memcmp's byte difference on the common part, else the sign of the length difference.
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return sint(a[i]! - b[i]!);
      return sint(Math.sign(a.length - b.length));
    };
  },
};

function trim(name: string, left: boolean): ConverterDef {
  return {
    name,
    input: 'str',
    output: 'str',
    compile(args) {
      const chars = args[0] ?? '';
      return (s) => {
        let v = text(s);
        if (left) { let i = 0; while (i < v.length && chars.includes(v[i]!)) i++; v = v.slice(i); }
        else { let i = v.length; while (i > 0 && chars.includes(v[i - 1]!)) i--; v = v.slice(0, i); }
        return str(v);
      };
    },
  };
}

/** JSON string escaping (sample_conv_json): `"` `\` `/` and controls; `ascii` also escapes non-ASCII. */
function jsonEscape(v: string, ascii: boolean): string {
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '/': out += '\\/'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\r': out += '\\r'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c > 0x7f && ascii) {
      for (const b of Buffer.from(ch)) out += '\\u00' + b.toString(16).padStart(2, '0');
    } else out += ch;
  }
  return out;
}

/** url_dec: %XX decoding; `+` becomes a space after `?` (or everywhere with in_form); bad escapes fail. */
function urlDecode(v: string, inForm: boolean): string | undefined {
  const bytes: number[] = [];
  let query = inForm;
  const raw = Buffer.from(v);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x3f) query = true;
    if (c === 0x25) {
      const h = raw.subarray(i + 1, i + 3).toString();
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c === 0x2b && query) bytes.push(0x20);
    else bytes.push(c);
  }
  return Buffer.from(bytes).toString();
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

export const stringConverters: readonly ConverterDef[] = [
  simple('lower', 'str', 'str', (s) => str(text(s).toLowerCase())),
  simple('upper', 'str', 'str', (s) => str(text(s).toUpperCase())),
  simple('length', 'str', 'sint', (s) => sint(Buffer.byteLength(text(s)))),
  simple('cut_crlf', 'str', 'str', (s) => { const v = text(s); const i = v.search(/[\r\n]/); return str(i < 0 ? v : v.slice(0, i)); }),
  simple('host_only', 'str', 'str', (s) => str(splitHostPort(text(s)).host)),
  simple('port_only', 'str', 'sint', (s) => { const p = splitHostPort(text(s)).port; return sint(p === undefined ? 0 : Number(p)); }),
  pick('field', false),
  pick('word', true),
  regsub,
  concat,
  strcmp,
  trim('ltrim', true),
  trim('rtrim', false),
  {
    name: 'json',
    input: 'str',
    output: 'str',
    compile(args) {
      const ascii = (args[0] ?? '').toLowerCase() === 'ascii';
      return (s) => str(jsonEscape(text(s), ascii));
    },
  },
  {
    name: 'url_dec',
    input: 'str',
    output: 'str',
    compile(args) {
      const inForm = args[0] !== undefined && Number(args[0]) !== 0;
      return (s) => { const v = urlDecode(text(s), inForm); return v === undefined ? undefined : str(v); };
    },
  },
  {
    name: 'url_enc',
    input: 'str',
    output: 'str',
    compile: () => (s) => {
      let out = '';
      for (const b of Buffer.from(text(s))) {
        const ch = String.fromCharCode(b);
        out += b < 0x80 && UNRESERVED.test(ch) ? ch : '%' + b.toString(16).toUpperCase().padStart(2, '0');
      }
      return str(out);
    },
  },
  {
    name: 'bytes',
    input: 'bin',
    output: 'bin',
    compile(args) {
      const offset = Number(args[0] ?? 0);
      const length = args[1] === undefined ? undefined : Number(args[1]);
      return (s) => {
        const b = s.value as Uint8Array;
        if (offset >= b.length) return undefined;
        return bin(b.subarray(offset, length === undefined ? b.length : Math.min(b.length, offset + length)));
      };
    },
  },
];

/** `host:port`, `[v6]:port` → host (lower case, brackets kept) and port text. */
function splitHostPort(v: string): { host: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(v);
  if (!m) return { host: v.toLowerCase() };
  return { host: m[1]!.toLowerCase(), port: m[2] };
}
