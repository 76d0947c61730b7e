// `ca-file` (and `crl-file`) values: a PEM file of CA certificates, a directory of them
// (every .pem, .crt, .cer and .crl, dot files skipped), or `@system-ca` (Node's bundled roots).
// Relative paths start at ca-base when it is set.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';

export interface CaBundle {
  ca: string[];
  crl: string[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const DIR_EXTENSIONS = ['.pem', '.crt', '.cer', '.crl'];

export function caPath(path: string, cwd: string, caBase: string | undefined): string {
  if (isAbsolute(path) || path === '@system-ca') return path;
  return caBase ? resolve(cwd, caBase, path) : resolve(cwd, path);
}

export type CaLoad = { ok: true; bundle: CaBundle } | { ok: false; message: string };

export function loadCaBundle(path: string): CaLoad {
  if (path === '@system-ca') return { ok: true, bundle: { ca: [...rootCertificates], crl: [] } };
  let files: string[];
  try {
    if (statSync(path).isDirectory()) {
      files = readdirSync(path)
        .filter((n) => !n.startsWith('.') && DIR_EXTENSIONS.some((e) => n.endsWith(e)))
        .sort()
        .map((n) => join(path, n));
    } else files = [path];
  } catch {
    return { ok: false, message: `'${path}' does not exist` };
  }
  const bundle: CaBundle = { ca: [], crl: [] };
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'latin1');
    } catch (e) {
      return { ok: false, message: `cannot read '${f}': ${(e as Error).message}` };
    }
    for (const m of text.matchAll(BLOCK)) {
      if (m[1] === 'CERTIFICATE' || m[1] === 'TRUSTED CERTIFICATE') {
        try {
          new X509Certificate(m[0]);
        } catch (e) {
          return { ok: false, message: `a certificate in '${f}' cannot be parsed: ${(e as Error).message}` };
        }
        bundle.ca.push(m[0]);
      } else if (m[1] === 'X509 CRL') bundle.crl.push(m[0]);
    }
  }
  if (bundle.ca.length === 0 && bundle.crl.length === 0) return { ok: false, message: `'${path}' holds no PEM certificate or CRL` };
  return { ok: true, bundle };
}
