// The global section's TLS settings: where relative certificate paths start (crt-base,
// ca-base), the defaults of every bind and server line (ssl-default-bind-*, ssl-default-
// server-*), and whether servers are verified by default (ssl-server-verify).
import type { Model, Statement, Word } from '@haplo/parser';
import { optionMap } from './tls-options.js';

export interface TlsGlobals {
  crtBase?: string;
  caBase?: string;
  bindDefaults: Map<string, Word[]>;
  serverDefaults: Map<string, Word[]>;
  /** `ssl-server-verify`: `required` unless the global says `none`. */
  serverVerify: 'none' | 'required';
  /** The file of each global statement, for messages. */
  fileOf: (s: Statement) => string;
}

/** Global TLS settings; `isBindFlag`/`isServerFlag` tell flags from valued options. */
export function tlsGlobals(model: Model, isBindFlag: (n: string) => boolean, isServerFlag: (n: string) => boolean): TlsGlobals {
  const out: TlsGlobals = {
    bindDefaults: new Map(),
    serverDefaults: new Map(),
    serverVerify: 'required',
    fileOf: statementFiles(model),
  };
  for (const s of model.global.statements) {
    if (!s.line.active) continue;
    const first = s.args[0];
    switch (s.keyword) {
      case 'crt-base': if (first) out.crtBase = first.value; break;
      case 'ca-base': if (first) out.caBase = first.value; break;
      case 'ssl-server-verify': if (first) out.serverVerify = first.value === 'none' ? 'none' : 'required'; break;
      case 'ssl-default-bind-options': mergeInto(out.bindDefaults, optionMap(s.args, isBindFlag)); break;
      case 'ssl-default-server-options': mergeInto(out.serverDefaults, optionMap(s.args, isServerFlag)); break;
      case 'ssl-default-bind-ciphers': if (first) out.bindDefaults.set('ciphers', [first]); break;
      case 'ssl-default-bind-ciphersuites': if (first) out.bindDefaults.set('ciphersuites', [first]); break;
      case 'ssl-default-server-ciphers': if (first) out.serverDefaults.set('ciphers', [first]); break;
      case 'ssl-default-server-ciphersuites': if (first) out.serverDefaults.set('ciphersuites', [first]); break;
      default: break;
    }
  }
  return out;
}

function mergeInto(into: Map<string, Word[]>, from: Map<string, Word[]>): void {
  for (const [k, v] of from) into.set(k, v);
}

/** Finds the file a statement was written in (sections know their file, statements do not). */
export function statementFiles(model: Model): (s: Statement) => string {
  const map = new Map<Statement, string>();
  for (const section of model.sections) for (const st of section.statements) map.set(st, section.file);
  const fallback = model.files[0]?.path ?? '';
  return (s) => map.get(s) ?? fallback;
}
