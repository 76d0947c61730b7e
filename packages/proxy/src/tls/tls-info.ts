// A finished server-side handshake described as the simulator's TlsInfo, which the ssl_fc_* and
// ssl_c_* fetches read (ssl_fc_sni, ssl_fc_alpn, ssl_fc_protocol, ssl_fc_cipher, ssl_c_used…).
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '@haplo/sim';

export function tlsInfoOf(socket: TLSSocket): TlsInfo {
  const info: TlsInfo = {};
  // Node sets `servername` on server sockets when the ClientHello carried SNI.
  const sni = (socket as TLSSocket & { servername?: string | false }).servername;
  if (typeof sni === 'string' && sni !== '') info.sni = sni;
  if (typeof socket.alpnProtocol === 'string') info.alpn = socket.alpnProtocol;
  const protocol = socket.getProtocol();
  if (protocol) info.protocol = protocol;
  const cipher = socket.getCipher();
  if (cipher?.name) info.cipher = cipher.name;
  info.resumed = socket.isSessionReused();
  const peer = socket.getPeerX509Certificate();
  info.clientCert = peer !== undefined;
  // A certificate that failed verification never gets here (acceptTls ends the connection).
  info.verifyResult = 0;
  if (peer) {
    info.clientSubject = oneLineDn(peer.subject);
    info.clientIssuer = oneLineDn(peer.issuer);
  }
  return info;
}

/** Node's `C=FR\nO=Org\nCN=name` as HAProxy writes a DN: `/C=FR/O=Org/CN=name`. */
export function oneLineDn(dn: string): string {
  return dn.split('\n').filter((l) => l !== '').map((l) => `/${l}`).join('');
}
