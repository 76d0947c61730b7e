// TLS for one `bind … ssl` line, built once when the configuration loads: a SecureContext per
// certificate (crt files, crt directories, crt-list lines), SNI selection among them, ALPN,
// client certificate verification, and the protocol range and ciphers. Problems come back as
// diagnostics on the bind line's words; with any error the bind gets no TLS and the process
// must not start.
//
// ALPN: haplo run serves HTTP/1.1 only, so on a mode http frontend `h2` is left out of the
// offered list (a warning says so) — a client then settles on http/1.1 instead of speaking
// HTTP/2 to a proxy that cannot read it. A mode tcp frontend offers the list as written (the
// bytes are relayed). One difference from HAProxy remains: when the client offers none of the
// listed protocols, HAProxy goes on without ALPN, Node ends the handshake
// (no_application_protocol).
import type { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext, type TlsOptions } from 'node:tls';
import type { BindModel, Diagnostic, Word } from '@haplo/parser';
import { caPath, loadCaBundle, type CaBundle } from './ca-bundle.js';
import { contextSettings } from './context-options.js';
import { certificateSources } from './crt-sources.js';
import { loadPemCertificate, type LoadedCertificate } from './pem-certificate.js';
import { SniSelector } from './sni-selector.js';
import { optionWord, TLS_CODES, tlsDiagnostic, type TlsPlace } from './tls-diagnostic.js';
import type { TlsGlobals } from './tls-globals.js';
import { TlsOptionReader } from './tls-options.js';

export interface BindTlsSetup {
  /** The file the bind line is in. */
  file: string;
  /** The frontend's mode: `http` leaves h2 out of ALPN. */
  mode: 'http' | 'tcp';
  /** Where relative paths start when crt-base / ca-base are not set (HAProxy: its working directory). */
  cwd: string;
  globals: TlsGlobals;
}

export type ClientVerify = 'none' | 'optional' | 'required';

export interface BindCertificate extends LoadedCertificate {
  context: SecureContext;
  /** crt-list SNI filters, when the certificate came from a crt-list line with some. */
  filters: readonly string[];
}

export interface BindTls {
  /**
   * Options for `tls.createServer(options)` or `new TLSSocket(socket, { isServer: true, ...options })`:
   * the default context, `SNICallback`, `ALPNProtocols`, `requestCert`/`rejectUnauthorized`.
   */
  listenerOptions: TlsOptions;
  /** `verify` of the bind: with `optional`, a certificate that fails verification must still end the connection. */
  verify: ClientVerify;
  strictSni: boolean;
  /** The ALPN protocols offered, in preference order (after leaving out h2 in mode http). */
  alpn: string[];
  /** Every certificate in load order; the first is the default. */
  certificates: BindCertificate[];
  /** The certificate served for a server name (none: the default), undefined when strict-sni refuses. */
  certificateFor(servername: string | undefined): BindCertificate | undefined;
}

/**
 * crt-list `[ … ]` options that change who may connect or how: haplo run cannot apply them per
 * certificate (OpenSSL fixes the version range and ciphers before Node's SNI callback picks a
 * context; HAProxy sets them on the connection from its ClientHello callback), and refusing to
 * start beats ignoring them. Other options are ignored with a warning.
 */
const PER_CERT_REFUSED = new Set(['verify', 'ca-file', 'ca-verify-file', 'crl-file', 'ssl-min-ver', 'ssl-max-ver', 'ciphers', 'ciphersuites']);

export function loadBindTls(bind: BindModel, setup: BindTlsSetup): { tls?: BindTls; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!bind.ssl) return { diagnostics };
  const statement = bind.statement;
  const at = (word?: Word): TlsPlace => ({ file: setup.file, statement, ...(word ? { word } : {}) });
  const error = (word: Word | undefined, code: (typeof TLS_CODES)[keyof typeof TLS_CODES], message: string): void => {
    diagnostics.push(tlsDiagnostic(at(word), 'error', code, message));
  };
  const warn = (word: Word | undefined, message: string): void => {
    diagnostics.push(tlsDiagnostic(at(word), 'warning', TLS_CODES.notice, message));
  };
  const note = (word: Word | undefined, n: { severity: 'error' | 'warning'; message: string }, prefix = ''): void => {
    if (n.severity === 'error') error(word, TLS_CODES.setting, prefix + n.message);
    else warn(word, prefix + n.message);
  };
  const o = new TlsOptionReader(bind.options, setup.globals.bindDefaults);

  // Client certificates.
  const verifyWord = o.word('verify');
  const verify = (verifyWord?.value ?? 'none') as ClientVerify;
  if (!['none', 'optional', 'required'].includes(verify)) error(verifyWord, TLS_CODES.setting, `'verify ${verify}': expected none, optional or required`);
  let authority: CaBundle | undefined;
  const caWord = o.word('ca-file');
  if (caWord) {
    const loaded = loadCaBundle(caPath(caWord.value, setup.cwd, setup.globals.caBase));
    if (loaded.ok) authority = loaded.bundle;
    else error(caWord, TLS_CODES.authority, `cannot load ca-file: ${loaded.message}`);
  } else if (verify !== 'none') {
    error(verifyWord, TLS_CODES.authority, `verify is enabled but no CA file is given: add 'ca-file <CA PEM>' to this bind line (the CAs that signed the client certificates)`);
  }
  const crlWord = o.word('crl-file');
  if (crlWord) {
    const loaded = loadCaBundle(caPath(crlWord.value, setup.cwd, setup.globals.caBase));
    if (!loaded.ok) error(crlWord, TLS_CODES.authority, `cannot load crl-file: ${loaded.message}`);
    else if (loaded.bundle.crl.length === 0) error(crlWord, TLS_CODES.authority, `crl-file '${crlWord.value}' holds no "X509 CRL" block`);
    else authority = { ca: authority?.ca ?? [], crl: loaded.bundle.crl };
  }

  // Certificates, in the order the crt / crt-list options are written.
  const named = [...(bind.options.get('crt') ?? []).map((word) => ({ name: 'crt', word })), ...(bind.options.get('crt-list') ?? []).map((word) => ({ name: 'crt-list', word }))]
    .sort((a, b) => a.word.range.start.offset - b.word.range.start.offset);
  if (named.length === 0) {
    error(optionWord(statement, 'ssl'), TLS_CODES.certificate, `'ssl' needs a certificate: add 'crt <PEM file or directory>' (certificate, chain and private key in one PEM)`);
  }
  const { sources, problems } = certificateSources(named, { cwd: setup.cwd, ...(setup.globals.crtBase ? { crtBase: setup.globals.crtBase } : {}) });
  for (const p of problems) error(p.word, TLS_CODES.certificate, `${p.message}; fix the path or remove it from the bind line`);

  const shared = contextSettings(o, 'bind');
  for (const n of shared.notes) note(n.option ? o.word(n.option) : undefined, n);

  const certificates: BindCertificate[] = [];
  const selector = new SniSelector<BindCertificate>();
  for (const source of sources) {
    const loaded = loadPemCertificate(source.path);
    const where = source.listLine ? ` (${source.listLine})` : '';
    if (!loaded.ok) {
      error(source.word, TLS_CODES.certificate, `cannot load certificate${where}: ${loaded.message}`);
      continue;
    }
    for (const name of source.options.keys()) {
      if (PER_CERT_REFUSED.has(name)) error(source.word, TLS_CODES.setting, `${source.listLine}: '${name}' in a crt-list line is not supported by haplo run; put it on the bind line`);
      else warn(source.word, `${source.listLine}: '${name}' in a crt-list line is ignored by haplo run`);
    }
    const settings = shared;
    let context: SecureContext;
    try {
      context = createSecureContext({ ...settings.options, key: loaded.certificate.key, cert: loaded.certificate.cert, ...(authority ?? {}) });
    } catch (e) {
      error(source.word, TLS_CODES.setting, `cannot use certificate '${source.path}'${where} with this line's TLS settings: ${(e as Error).message}`);
      continue;
    }
    expiryNote(loaded.certificate.leaf, (m) => warn(source.word, `certificate '${source.path}'${where} ${m}`));
    const cert: BindCertificate = { ...loaded.certificate, context, filters: source.filters };
    certificates.push(cert);
    selector.add({ value: cert, names: cert.names, filters: source.filters });
  }
  if (diagnostics.some((d) => d.severity === 'error') || certificates.length === 0) return { diagnostics };

  const strictSni = o.has('strict-sni');
  const alpn = offeredAlpn(o.word('alpn'), setup.mode, warn);
  const fallback = certificates[0]!;
  // With strict-sni, a handshake without SNI must fail too: the default context has no certificate.
  const defaultContext = strictSni ? createSecureContext({ ...shared.options }) : fallback.context;
  const listenerOptions: TlsOptions = {
    secureContext: defaultContext,
    SNICallback: (servername, cb) => {
      const chosen = selector.select(servername);
      if (chosen) return cb(null, chosen.context);
      if (strictSni) return cb(new Error(`strict-sni: no certificate for '${servername}'`), undefined);
      cb(null, fallback.context);
    },
    requestCert: verify !== 'none',
    rejectUnauthorized: verify === 'required',
  };
  if (alpn.length) listenerOptions.ALPNProtocols = alpn;
  const tls: BindTls = {
    listenerOptions,
    verify,
    strictSni,
    alpn,
    certificates,
    certificateFor: (servername) => {
      const chosen = servername === undefined ? undefined : selector.select(servername);
      return chosen ?? (strictSni ? undefined : fallback);
    },
  };
  return { tls, diagnostics };
}

/** Same as `loadBindTls(bind, setup).tls?.listenerOptions`, for callers that only want the options. */
export function createTlsListenerOptions(bind: BindModel, setup: BindTlsSetup): { options?: TlsOptions; diagnostics: Diagnostic[] } {
  const r = loadBindTls(bind, setup);
  return r.tls ? { options: r.tls.listenerOptions, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

function offeredAlpn(word: Word | undefined, mode: 'http' | 'tcp', warn: (word: Word | undefined, m: string) => void): string[] {
  if (!word) return [];
  const written = word.value.split(',').filter((p) => p !== '');
  if (mode !== 'http') return written;
  const served = written.filter((p) => p !== 'h2');
  if (served.length !== written.length) {
    warn(word, served.length
      ? `haplo run serves HTTP/1.1 only: 'h2' is left out of ALPN, clients get ${served.join(',')} (HAProxy would negotiate HTTP/2)`
      : `haplo run serves HTTP/1.1 only: 'h2' is left out of ALPN, so no ALPN is offered and clients use HTTP/1.1 (HAProxy would negotiate HTTP/2)`);
  }
  return served;
}

function expiryNote(leaf: X509Certificate, warn: (m: string) => void): void {
  const now = Date.now();
  if (Date.parse(leaf.validTo) < now) warn(`expired on ${leaf.validTo}`);
  else if (Date.parse(leaf.validFrom) > now) warn(`is not valid before ${leaf.validFrom}`);
}
