// What a `server` line asks to send before its first byte: nothing, a v1 line (`send-proxy`)
// or a v2 header (`send-proxy-v2`, `send-proxy-v2-ssl`, `send-proxy-v2-ssl-cn`) with the TLVs
// `proxy-v2-options` lists. v2 wins when both are written, as in HAProxy. Read once per server.
import type { ServerModel } from '@haplo/parser';
import type { TlsInfo } from '@haplo/sim';
import { proxyV1Header } from './write-v1.js';
import { proxyV2Header, type ProxyV2Fields } from './write-v2.js';
import type { Endpoint } from './endpoint.js';

export interface ProxySendPlan {
  version: 1 | 2;
  crc32c: boolean;
  authority: boolean;
  uniqueId: boolean;
  ssl: boolean;
  sslCn: boolean;
  sslCipher: boolean;
  certSig: boolean;
  certKey: boolean;
}

/** The stream facts a header is built from. */
export interface ProxySendFacts {
  /** The client's address (after any PROXY header it sent us). */
  src?: Endpoint;
  /** The address the client connected to (idem). */
  dst?: Endpoint;
  /** The client connection's TLS facts, when it is TLS. */
  tls?: TlsInfo;
  /** An authority received in the client's own PROXY v2 header (sent instead of the SNI). */
  receivedAuthority?: string;
  /** The stream's unique id (unique-id-format). */
  uniqueId?: string;
  /** Frontend certificate's signature / key algorithm (`cert-sig`, `cert-key`). */
  certSigAlg?: string;
  certKeyAlg?: string;
}

export function proxySendPlan(server: ServerModel): ProxySendPlan | undefined {
  const has = (n: string): boolean => server.options.get(n) !== undefined;
  const v2ssl = has('send-proxy-v2-ssl') || has('send-proxy-v2-ssl-cn');
  const version = has('send-proxy-v2') || v2ssl ? 2 : has('send-proxy') ? 1 : undefined;
  if (version === undefined) return undefined;
  const listed = new Set((server.options.get('proxy-v2-options') ?? []).flatMap((w) => w.value.split(',')));
  const sslCn = has('send-proxy-v2-ssl-cn') || listed.has('cert-cn');
  const sslCipher = listed.has('ssl-cipher');
  const certSig = listed.has('cert-sig');
  const certKey = listed.has('cert-key');
  return {
    version,
    crc32c: listed.has('crc32c'),
    authority: listed.has('authority'),
    uniqueId: listed.has('unique-id'),
    ssl: v2ssl || listed.has('ssl') || sslCn || sslCipher || certSig || certKey,
    sslCn,
    sslCipher,
    certSig,
    certKey,
  };
}

/** The header bytes for one connection to the server. */
export function proxyHeaderFor(plan: ProxySendPlan, facts: ProxySendFacts): Buffer {
  if (plan.version === 1) return proxyV1Header(facts.src, facts.dst);
  const f: ProxyV2Fields = { crc32c: plan.crc32c };
  if (facts.src) f.src = facts.src;
  if (facts.dst) f.dst = facts.dst;
  const tls = facts.tls;
  if (tls?.alpn !== undefined) f.alpn = tls.alpn;
  if (plan.authority) {
    const authority = facts.receivedAuthority ?? tls?.sni;
    if (authority !== undefined) f.authority = authority;
  }
  if (plan.uniqueId && facts.uniqueId !== undefined) f.uniqueId = facts.uniqueId;
  if (plan.ssl) {
    f.ssl = { tls: tls !== undefined };
    if (tls) {
      if (tls.protocol !== undefined) f.ssl.version = tls.protocol;
      if (tls.clientCert) {
        f.ssl.certInSession = true;
        f.ssl.certInConnection = !tls.resumed;
        f.ssl.verify = tls.verifyResult ?? 0;
      }
      const cn = plan.sslCn ? commonName(tls.clientSubject) : undefined;
      if (cn !== undefined) f.ssl.cn = cn;
      if (plan.certKey && facts.certKeyAlg !== undefined) f.ssl.keyAlg = facts.certKeyAlg;
      if (plan.certSig && facts.certSigAlg !== undefined) f.ssl.sigAlg = facts.certSigAlg;
      if (plan.sslCipher && tls.cipher !== undefined) f.ssl.cipher = tls.cipher;
    }
  }
  return proxyV2Header(f);
}

/** The last CN of a `/C=FR/CN=name` DN. */
function commonName(dn: string | undefined): string | undefined {
  if (dn === undefined) return undefined;
  const cns = dn.split('/').filter((p) => p.startsWith('CN=')).map((p) => p.slice(3));
  return cns.length ? cns[cns.length - 1] : undefined;
}
