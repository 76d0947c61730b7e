// How a new connection to a server is opened. Injectable so tests can count attempts or make a
// connect hang without any external address; the default is net.connect with Nagle disabled.
import { connect, type Socket } from 'node:net';
import type { ConnectTarget } from './server-target.js';

/** Starts connecting; the socket then emits `connect` or `error` (the caller owns timeouts). */
export type Connector = (target: ConnectTarget) => Socket;

export const netConnector: Connector = (target) =>
  target.kind === 'unix'
    ? connect({ path: target.path })
    : connect({ host: target.host, port: target.port, noDelay: true });
