// The ServerTransport of one `server` line, read once per generation: its `send-proxy*` plan
// and its TLS settings (loaded with the configuration, see tls/load-tls.ts), with `sni <expr>`
// compiled. Undefined when the line asks for neither (plain TCP: nothing to do).
import { parseSampleExpression, type ServerModel, type Word } from '@haplo/parser';
import { compileSample, createContext, MISS, sampleToString, type StreamContext } from '@haplo/sim';
import type { ClientOrigin } from '../process/client-session.js';
import { proxySendPlan } from '../proxy-protocol/server-send.js';
import type { ServerTls } from '../tls/server-tls.js';
import { failingTransport, serverTransport, type ServerTransport, type TransportParts } from './server-transport.js';

export function transportOfServer(server: ServerModel, tls: ReadonlyMap<ServerModel, ServerTls> | undefined): ServerTransport | undefined {
  const parts: TransportParts = {};
  const plan = proxySendPlan(server);
  if (plan) parts.proxy = plan;
  if (server.options.get('ssl') !== undefined) {
    const loaded = tls?.get(server);
    // Never plain TCP to a server written with `ssl`: without its settings every connect fails.
    if (!loaded) return failingTransport(`the TLS settings of server '${server.proxy.name}/${server.name}' were not loaded`);
    parts.tls = loaded;
    const sniWord = server.options.get('sni')?.[0];
    if (sniWord) {
      parts.sni = compiledSni(sniWord);
      parts.sniPerStream = !/^str\([^()]*\)$/.test(sniWord.value);
    }
  }
  return parts.proxy || parts.tls ? serverTransport(parts) : undefined;
}

type Sni = NonNullable<TransportParts['sni']>;

/**
 * `sni <expr>`, evaluated on the stream when the session passes it, else on a context holding
 * only the client connection's facts (src, dst, ssl_fc_*): request fetches then give nothing
 * and no SNI is sent, as HAProxy does when the expression finds no value.
 */
function compiledSni(word: Word): Sni {
  const parsed = parseSampleExpression(word);
  if (!parsed.expr) return () => undefined;
  const sample = compileSample(parsed.expr, { report: () => {} });
  return (client: ClientOrigin | undefined, stream: StreamContext | undefined) => {
    const ctx = stream ?? connectionContext(client);
    const value = sample.one(ctx);
    if (value === undefined || value === MISS) return undefined;
    const text = sampleToString(value);
    return text === '' ? undefined : text;
  };
}

function connectionContext(client: ClientOrigin | undefined): StreamContext {
  if (!client) return createContext({});
  return createContext({ src: client.src, srcPort: client.srcPort, dst: client.dst, dstPort: client.dstPort, ...(client.tls ? { tls: client.tls } : {}) });
}
