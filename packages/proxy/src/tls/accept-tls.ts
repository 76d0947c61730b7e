// The server side of a TLS handshake on an accepted socket (`bind … ssl`), after any PROXY
// header. Like HAProxy, the handshake gets what is left of the frontend's `timeout client`
// (counted from the accept) and a failed handshake just closes the connection. With
// `verify optional`, a client certificate that fails verification still ends the connection
// (HAProxy aborts on any verify error unless told to ignore it); only its absence is allowed.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { TlsInfo } from '@haplo/sim';
import type { BindTls } from './bind-tls.js';
import { tlsInfoOf } from './tls-info.js';

export type AcceptedTls =
  | { kind: 'secure'; socket: TLSSocket; info: TlsInfo }
  /** The connection is closed; `reason` is HAProxy's log text for it. */
  | { kind: 'closed'; reason: string };

/** HAProxy's texts (conn_err_code_str). */
export const TLS_ERRORS = {
  timeout: 'Timeout during SSL handshake',
  empty: 'Connection closed during SSL handshake',
  handshake: 'SSL handshake failure',
  certificate: 'SSL client certificate not trusted',
} as const;

export function acceptTls(socket: Socket, bind: BindTls, options: { timeoutMs?: number } = {}): Promise<AcceptedTls> {
  return new Promise((resolve) => {
    const tls = new TLSSocket(socket, { isServer: true, ...bind.listenerOptions });
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (outcome: AcceptedTls): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      tls.off('secure', onSecure);
      tls.off('error', onError);
      tls.off('close', onClose);
      resolve(outcome);
    };
    const fail = (reason: string): void => {
      finish({ kind: 'closed', reason });
      tls.on('error', () => {});
      tls.destroy();
      socket.destroy();
    };
    const onSecure = (): void => {
      if (bind.verify !== 'none' && tls.getPeerX509Certificate() !== undefined) {
        const error = peerVerifyError(tls);
        if (error) return fail(`${TLS_ERRORS.certificate}: ${error}`);
      }
      finish({ kind: 'secure', socket: tls, info: tlsInfoOf(tls) });
    };
    const onError = (e: Error): void => fail(`${TLS_ERRORS.handshake}: ${e.message.split('\n')[0]}`);
    const onClose = (): void => fail(TLS_ERRORS.empty);
    if (options.timeoutMs !== undefined) timer = setTimeout(() => fail(TLS_ERRORS.timeout), options.timeoutMs);
    tls.on('secure', onSecure);
    tls.on('error', onError);
    tls.on('close', onClose);
  });
}

/**
 * Node's OpenSSL verify callback accepts every peer certificate and checks it after the
 * handshake; only tls.Server reads that result (into `authorized`), not a TLSSocket made by
 * hand. This reads it the same way tls.Server does (the handle's verifyError), and refuses
 * the certificate when that cannot be read, rather than trusting it.
 */
function peerVerifyError(socket: TLSSocket): string | undefined {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => (Error & { code?: string }) | null } })._handle;
  if (typeof handle?.verifyError !== 'function') return 'cannot read the verification result';
  const error = handle.verifyError();
  return error ? (error.code ?? error.message) : undefined;
}
