// One `crt` PEM file as HAProxy expects it: the certificate first, then its chain, and the
// private key in the same file — or, when the file has no key, in `<file>.key` next to it
// (ssl-load-extra-files' default). Checked at load: the key must be readable (not encrypted)
// and must belong to the first certificate.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { certificateNames } from './certificate-names.js';

export interface LoadedCertificate {
  path: string;
  /** The key in PEM. */
  key: string;
  /** The certificate and its chain in PEM, in file order. */
  cert: string;
  leaf: X509Certificate;
  /** Lower-case DNS names of the certificate (SAN DNS entries, then CNs), for SNI. */
  names: string[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export type PemLoad = { ok: true; certificate: LoadedCertificate } | { ok: false; message: string };

export function loadPemCertificate(path: string): PemLoad {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    return { ok: false, message: `cannot read '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
  }
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({ label: m[1]!, pem: m[0] }));
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (certs.length === 0) return { ok: false, message: `'${path}' holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----")` };
  let keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  let keyFile = path;
  if (!keyBlock && existsSync(`${path}.key`)) {
    keyFile = `${path}.key`;
    keyBlock = [...readFileSync(keyFile, 'latin1').matchAll(BLOCK)].map((m) => ({ label: m[1]!, pem: m[0] })).find((b) => b.label.endsWith('PRIVATE KEY'));
  }
  if (!keyBlock) {
    return { ok: false, message: `no private key in '${path}' nor in '${path}.key'; put the key in the same PEM as the certificate (cat cert.pem key.pem > ${path})` };
  }
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(keyBlock.pem)) {
    return { ok: false, message: `the private key in '${keyFile}' is encrypted; store it unencrypted (openssl pkey -in key.pem -out plain.pem)` };
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certs[0]!.pem);
  } catch (e) {
    return { ok: false, message: `the first certificate in '${path}' cannot be parsed: ${(e as Error).message}` };
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(keyBlock.pem))) {
      return { ok: false, message: `the private key in '${keyFile}' does not match the first certificate of '${path}' (the server certificate must come first, its chain after)` };
    }
  } catch (e) {
    return { ok: false, message: `the private key in '${keyFile}' cannot be parsed: ${(e as Error).message}` };
  }
  return { ok: true, certificate: { path, key: keyBlock.pem, cert: certs.map((c) => c.pem).join('\n'), leaf, names: certificateNames(leaf) } };
}
