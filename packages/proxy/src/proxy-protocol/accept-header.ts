// Waiting for the PROXY header on an accepted, paused socket (`bind … accept-proxy`).
//
// HAProxy 2.6 gives the whole handshake phase (PROXY header, then any TLS handshake) the
// frontend's `timeout client`, counted from the accept, and then closes without a word. A bad
// header makes it drop the connection at once with a reset. One difference, on purpose: HAProxy
// peeks once and gives up when that first read holds only part of the header; this reader
// keeps reading until the header is complete, so a header split over TCP segments is accepted.
//
// On success the socket is paused again and the bytes after the header are pushed back
// (`unshift`), so the session — or a TLS handshake wrapping the socket — reads them first.
import type { Socket } from 'node:net';
import { PROXY_ERRORS } from './constants.js';
import type { ProxiedAddresses, ProxyTlv } from './header-result.js';
import { readProxyHeader } from './read-header.js';

export type AcceptedProxyHeader =
  /** Use these addresses for the session (src, dst and their ports). */
  | { kind: 'proxy'; addresses: ProxiedAddresses; version: 1 | 2; tlvs: ProxyTlv[]; authority?: string; uniqueId?: string }
  /** v1 UNKNOWN / v2 LOCAL: keep the socket's own addresses. */
  | { kind: 'local'; version: 1 | 2 }
  /** The socket is already closed; `reason` is HAProxy's log text (plus a detail for bad headers). */
  | { kind: 'closed'; reason: string };

export interface AcceptHeaderOptions {
  /** Milliseconds from now before giving up (the frontend's `timeout client`); none when undefined. */
  timeoutMs?: number;
}

export function acceptProxyHeader(socket: Socket, options: AcceptHeaderOptions = {}): Promise<AcceptedProxyHeader> {
  return new Promise((resolve) => {
    let received: Buffer = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: AcceptedProxyHeader): void => {
      if (timer) clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onEnd);
      resolve(outcome);
    };
    const close = (reason: string, reset: boolean): void => {
      finish({ kind: 'closed', reason });
      // Keep a no-op listener: a late ECONNRESET must not become an uncaught error.
      socket.on('error', () => {});
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const r = readProxyHeader(received);
      if (r.kind === 'incomplete') return;
      if (r.kind === 'error') return close(r.message, true);
      socket.pause();
      const rest = received.subarray(r.length);
      if (r.kind === 'local') finish({ kind: 'local', version: r.version });
      else {
        const { src, srcPort, dst, dstPort, family } = r;
        const accepted: AcceptedProxyHeader = { kind: 'proxy', addresses: { src, srcPort, dst, dstPort, family }, version: r.version, tlvs: r.tlvs };
        if (r.authority !== undefined) accepted.authority = r.authority;
        if (r.uniqueId !== undefined) accepted.uniqueId = r.uniqueId;
        finish(accepted);
      }
      if (rest.length > 0) socket.unshift(rest);
    };
    const onEnd = (): void => close(PROXY_ERRORS.empty, false);
    const onError = (): void => close(PROXY_ERRORS.abort, false);
    if (options.timeoutMs !== undefined) timer = setTimeout(() => close(PROXY_ERRORS.timeout, false), options.timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    socket.resume();
  });
}
