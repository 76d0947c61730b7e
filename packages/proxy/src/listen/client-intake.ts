// What an admitted connection goes through before its session starts, for one generation: on a
// `bind … accept-proxy` / `bind … ssl` line, the handshake phase (client-handshake.ts); then the
// session, given the client's origin (PROXY addresses, TLS facts) and, when some server sends
// a PROXY header or an SNI, upstreams that know the client. Plain binds start at once.
import type { Socket } from 'node:net';
import type { BindModel, Model } from '@haplo/parser';
import type { CompiledProxy } from '@haplo/sim';
import type { ClientOrigin, ClientSession, SessionFactory } from '../process/client-session.js';
import type { ProxyContext } from '../process/types.js';
import { proxySendPlan } from '../proxy-protocol/server-send.js';
import { clientContext } from '../upstream/client-upstreams.js';
import type { HandshakeSetup } from './client-handshake.js';
import { HandshakingClient, type Ready } from './handshaking-client.js';

export class ClientIntake {
  private readonly setups = new Map<BindModel, HandshakeSetup | undefined>();
  private readonly upstreamsNeedClient: boolean;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly log: (line: string) => void,
  ) {
    this.upstreamsNeedClient = serversReadClient(ctx.pipeline.model);
  }

  /**
   * Starts `factory`'s session on a newly admitted `socket`, after the handshake phase `bind`
   * asks for; `origin` (the socket's addresses) is completed in place by that phase.
   */
  start(factory: SessionFactory, fe: CompiledProxy, socket: Socket, bind: BindModel, origin: ClientOrigin, closed: () => void): ClientSession {
    const setup = this.setupOf(fe, bind);
    if (!setup) return factory(this.contextFor(origin), fe, socket, origin, closed);
    return new HandshakingClient(socket, setup, origin, (ready) => this.handshaken(factory, fe, ready, closed), closed);
  }

  /** A connection past its handshake phase (handed over by a reload) goes on with a new session. */
  resume(factory: SessionFactory, fe: CompiledProxy, socket: Socket, origin: ClientOrigin, closed: () => void): ClientSession {
    return factory(this.contextFor(origin), fe, socket, origin, closed);
  }

  private handshaken(factory: SessionFactory, fe: CompiledProxy, ready: Ready, closed: () => void): ClientSession | undefined {
    try {
      return factory(this.contextFor(ready.origin), fe, ready.socket, ready.origin, closed);
    } catch (e) {
      this.log(`haplo run: session of '${fe.name}' failed to start: ${(e as Error).stack ?? e}`);
      ready.socket.destroy();
      closed();
      return undefined;
    }
  }

  private contextFor(origin: ClientOrigin): ProxyContext {
    return this.upstreamsNeedClient ? clientContext(this.ctx, origin) : this.ctx;
  }

  private setupOf(fe: CompiledProxy, bind: BindModel): HandshakeSetup | undefined {
    if (this.setups.has(bind)) return this.setups.get(bind);
    const own = sameBindIn(fe, bind);
    const tls = this.ctx.tls?.binds.get(own);
    const acceptProxy = own.options.get('accept-proxy') !== undefined;
    let setup: HandshakeSetup | undefined;
    if (acceptProxy || tls) {
      setup = { acceptProxy };
      if (tls) setup.tls = tls;
      const timeout = this.ctx.settings(fe).timeouts.client;
      if (timeout !== undefined) setup.timeoutMs = timeout;
    } else if (own.ssl) {
      // Never serve clear text on a bind written with `ssl`.
      throw new Error(`bind '${own.addresses.map((a) => a.text).join(',')}' of '${fe.name}': its TLS settings were not loaded`);
    }
    this.setups.set(bind, setup);
    return setup;
  }
}

/**
 * The bind of this generation's frontend for a listener's bind: listeners outlive a reload,
 * their bind may come from an older model; the one written with the same addresses is meant.
 */
function sameBindIn(fe: CompiledProxy, bind: BindModel): BindModel {
  const binds = fe.model.binds;
  if (binds.includes(bind)) return bind;
  const key = addressesOf(bind);
  return binds.find((b) => addressesOf(b) === key) ?? bind;
}

function addressesOf(bind: BindModel): string {
  return bind.addresses.map((a) => a.text).join(',');
}

/** Whether a server line sends a PROXY header or an SNI: both are read from the client. */
function serversReadClient(model: Model): boolean {
  return model.proxies.some((p) => p.servers.some((s) => proxySendPlan(s) !== undefined || s.options.get('sni') !== undefined));
}
