// TLS towards a server (`server … ssl`), built once at load: options for `tls.connect` over the
// socket the connector opened (after any PROXY header, which goes first in clear, as HAProxy
// sends it). `verify` defaults to required (unless `ssl-server-verify none`), which needs a
// `ca-file` — HAProxy refuses to start without one and so does this. The certificate's names
// are checked against the SNI sent, else against `verifyhost`; with neither only the chain is
// checked (HAProxy's rule). `sni <expr>` is a sample expression: the upstream layer evaluates it
// per stream and passes the value to `connectOptions`.
import { checkServerIdentity, createSecureContext, type ConnectionOptions, type PeerCertificate, type SecureContext } from 'node:tls';
import type { Diagnostic, ServerModel, Word } from '@haplo/parser';
import { caPath, loadCaBundle, type CaBundle } from './ca-bundle.js';
import { contextSettings } from './context-options.js';
import { certificatePath } from './crt-sources.js';
import { loadPemCertificate } from './pem-certificate.js';
import { optionWord, TLS_CODES, tlsDiagnostic, type TlsCode, type TlsPlace } from './tls-diagnostic.js';
import type { TlsGlobals } from './tls-globals.js';
import { TlsOptionReader } from './tls-options.js';

export interface ServerTlsSetup {
  file: string;
  cwd: string;
  globals: TlsGlobals;
}

export interface ServerTls {
  verify: 'none' | 'required';
  /** `sni <expr>` as written, for the upstream layer to compile and evaluate per stream. */
  sniExpression?: string;
  /** ALPN offered to the server (`alpn`), in order. */
  alpn: string[];
  /** Options for `tls.connect({ socket, ...connectOptions(sni) })`; `sni` is the evaluated `sni` value. */
  connectOptions(sni: string | undefined): ConnectionOptions;
}

export function loadServerTls(server: ServerModel, setup: ServerTlsSetup): { tls?: ServerTls; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const own = { get: (name: string): Word[] | undefined => server.options.get(name) };
  // `check-ssl` alone needs the same settings: its health checks use them (HAProxy loads them too).
  const sslWord = own.get('ssl') !== undefined ? 'ssl' : own.get('check-ssl') !== undefined ? 'check-ssl' : undefined;
  if (sslWord === undefined) return { diagnostics };
  const at = (word?: Word): TlsPlace => ({ file: setup.file, statement: server.statement, ...(word ? { word } : {}) });
  const error = (word: Word | undefined, code: TlsCode, message: string): void => {
    diagnostics.push(tlsDiagnostic(at(word), 'error', code, message));
  };
  const o = new TlsOptionReader(own, setup.globals.serverDefaults);

  const verifyWord = o.word('verify');
  const verify = verifyWord ? (verifyWord.value === 'none' ? 'none' : 'required') : setup.globals.serverVerify;
  if (verifyWord && !['none', 'required'].includes(verifyWord.value)) error(verifyWord, TLS_CODES.setting, `'verify ${verifyWord.value}': expected none or required`);
  let authority: CaBundle | undefined;
  const caWord = o.word('ca-file');
  if (caWord) {
    const loaded = loadCaBundle(caPath(caWord.value, setup.cwd, setup.globals.caBase));
    if (loaded.ok) authority = loaded.bundle;
    else error(caWord, TLS_CODES.authority, `cannot load ca-file: ${loaded.message}`);
  } else if (verify === 'required') {
    error(verifyWord ?? optionWord(server.statement, sslWord), TLS_CODES.authority,
      `verify is required${verifyWord ? '' : ' by default'} but no CA file is given: add 'ca-file <CA PEM>', or 'verify none' if you trust the network to this server`);
  }
  const crlWord = o.word('crl-file');
  if (crlWord) {
    const loaded = loadCaBundle(caPath(crlWord.value, setup.cwd, setup.globals.caBase));
    if (!loaded.ok) error(crlWord, TLS_CODES.authority, `cannot load crl-file: ${loaded.message}`);
    else authority = { ca: authority?.ca ?? [], crl: loaded.bundle.crl };
  }

  const settings = contextSettings(o, 'server');
  for (const n of settings.notes) {
    if (n.severity === 'error') error(n.option ? o.word(n.option) : undefined, TLS_CODES.setting, n.message);
    else diagnostics.push(tlsDiagnostic(at(n.option ? o.word(n.option) : undefined), 'warning', TLS_CODES.notice, n.message));
  }
  let clientCert: { key: string; cert: string } | undefined;
  const crtWord = o.word('crt');
  if (crtWord) {
    const loaded = loadPemCertificate(certificatePath(crtWord.value, { cwd: setup.cwd, ...(setup.globals.crtBase ? { crtBase: setup.globals.crtBase } : {}) }));
    if (loaded.ok) clientCert = { key: loaded.certificate.key, cert: loaded.certificate.cert };
    else error(crtWord, TLS_CODES.certificate, `cannot load the client certificate: ${loaded.message}`);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  let context: SecureContext;
  try {
    context = createSecureContext({ ...settings.options, ...(authority ?? {}), ...(clientCert ?? {}) });
  } catch (e) {
    error(undefined, TLS_CODES.setting, `cannot build the TLS settings of this server: ${(e as Error).message}`);
    return { diagnostics };
  }
  const verifyhost = o.has('no-verifyhost') ? undefined : o.value('verifyhost');
  const alpn = (o.value('alpn') ?? '').split(',').filter((p) => p !== '');
  const sniExpression = o.value('sni');
  const tls: ServerTls = {
    verify,
    alpn,
    connectOptions(sni) {
      const options: ConnectionOptions = { secureContext: context, rejectUnauthorized: verify === 'required' };
      if (sni !== undefined && sni !== '') options.servername = sni;
      if (alpn.length) options.ALPNProtocols = alpn;
      const host = sni !== undefined && sni !== '' ? sni : verifyhost;
      options.checkServerIdentity = (_name: string, cert: PeerCertificate) => (verify === 'required' && host !== undefined ? checkServerIdentity(host, cert) : undefined);
      return options;
    },
  };
  if (sniExpression !== undefined) tls.sniExpression = sniExpression;
  return { tls, diagnostics };
}
