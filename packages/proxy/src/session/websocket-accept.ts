// HAProxy refuses a `101` to a WebSocket upgrade unless `Sec-WebSocket-Accept` answers the
// client's key (RFC 6455 §4.2.2): a server that did not understand the handshake gets a 502
// instead of a tunnel (observed with 2.6).
import { createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** The key a client must send: 16 bytes in base64 (24 characters). */
export function validWebsocketKey(key: string | undefined): boolean {
  return key !== undefined && /^[A-Za-z0-9+/]{22}==$/.test(key.trim());
}
