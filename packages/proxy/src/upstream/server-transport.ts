// What goes on a new server connection before the stream's own bytes: the PROXY header
// (`send-proxy`, `send-proxy-v2…`), in clear, then the TLS handshake (`ssl`).
//
// Both belong to the connect phase, as in HAProxy 2.6 (checked with the binary: a server that
// accepts TCP but never answers the ClientHello gives `sC` after `timeout connect`, retried,
// whatever `timeout server` says; a certificate the CA file does not trust gives `SC` and the
// same retries): `timeout connect` keeps running until the handshake ends, and a handshake
// that fails is a connection error like a refused connect — retried, then 503.
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { StreamContext } from '@haplo/sim';
import type { ClientOrigin } from '../process/client-session.js';
import { proxyHeaderFor, type ProxySendFacts, type ProxySendPlan } from '../proxy-protocol/server-send.js';
import type { ServerTls } from '../tls/server-tls.js';

/** Called once, never before `open` returns: the connection is ready to carry the stream, or failed. */
export type TransportDone = (err: Error | undefined) => void;

export interface ServerTransport {
  /**
   * The connection carries something of one client (its addresses in a PROXY header, an SNI
   * taken from its stream), so it is never lent to another client: HAProxy keys idle
   * connections by these too, and a different client never matches.
   */
  readonly clientBound: boolean;
  /** Writes the header, starts TLS over `raw` (connected); returns the socket the stream uses. */
  open(raw: Socket, client: ClientOrigin | undefined, stream: StreamContext | undefined, done: TransportDone): Socket;
}

export interface TransportParts {
  proxy?: ProxySendPlan;
  tls?: ServerTls;
  /** `sni <expr>` compiled; undefined result: no SNI. */
  sni?: (client: ClientOrigin | undefined, stream: StreamContext | undefined) => string | undefined;
  /** False when the SNI is the same for every stream (`str(…)`), so TLS connections may be shared. */
  sniPerStream?: boolean;
}

export function serverTransport(parts: TransportParts): ServerTransport {
  return {
    clientBound: parts.proxy !== undefined || parts.sniPerStream === true,
    open(raw, client, stream, done) {
      let finished = false;
      const finish = (err: Error | undefined): void => {
        if (finished) return;
        finished = true;
        done(err);
      };
      // Raw socket errors before the stream owns the socket are this step's to report.
      raw.on('error', finish);
      if (parts.proxy) {
        const header = proxyHeaderFor(parts.proxy, sendFacts(client));
        if (!parts.tls) {
          raw.write(header, (err) => finish(err ?? undefined));
          return raw;
        }
        raw.write(header);
      }
      const tls = parts.tls!;
      const secure = tlsConnect({ socket: raw, ...tls.connectOptions(parts.sni?.(client, stream)) });
      const onSecure = (): void => {
        secure.off('error', finish);
        secure.off('close', onClose);
        finish(undefined);
      };
      const onClose = (): void => finish(new Error('Connection closed during SSL handshake'));
      secure.once('secureConnect', onSecure);
      secure.once('error', finish);
      secure.once('close', onClose);
      // Whoever ends the TLS socket (a timeout, the stream) ends the TCP one under it.
      secure.once('close', () => raw.destroy());
      return secure;
    },
  };
}

/** A transport whose every connection fails: a `server … ssl` whose TLS settings were not loaded. */
export function failingTransport(message: string): ServerTransport {
  return {
    clientBound: false,
    open(raw, _client, _stream, done) {
      process.nextTick(done, new Error(message));
      return raw;
    },
  };
}

function sendFacts(client: ClientOrigin | undefined): ProxySendFacts {
  if (!client) return {};
  const facts: ProxySendFacts = {
    src: { address: client.src, port: client.srcPort },
    dst: { address: client.dst, port: client.dstPort },
  };
  if (client.tls) facts.tls = client.tls;
  if (client.proxyAuthority !== undefined) facts.receivedAuthority = client.proxyAuthority;
  return facts;
}
