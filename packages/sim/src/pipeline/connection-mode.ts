// A proxy's HTTP connection mode: `option http-keep-alive` (the default), `option
// http-server-close` or `option httpclose`, as HAProxy 2.6 reads them. The three options share
// one setting: the last one written wins, a defaults section's value is the starting point, and
// `no option X` goes back to keep-alive only when X is the current mode (`no option
// http-server-close` after `option httpclose` leaves httpclose).
//
// What the mode does (observed with the 2.6 binary, test/differential/connection-mode-*):
// * the server side closes after each response when the frontend's or the backend's mode is
//   not keep-alive: the request says `connection: close` (HTTP/1.1; an HTTP/1.0 request goes
//   without `connection: keep-alive`) and the connection is not kept idle;
// * the client side closes after each response only with the frontend's `httpclose` (the H1
//   layer of the client connection reads the frontend's mode alone): `connection: close` is
//   written to the client whatever it asked for. A backend's `httpclose` acts as server-close.
import type { ProxyModel } from '@haplo/parser';
import { closesAfter } from './connection-header.js';

export const HttpConnectionMode = { KeepAlive: 0, ServerClose: 1, Close: 2 } as const;
export type HttpConnectionMode = (typeof HttpConnectionMode)[keyof typeof HttpConnectionMode];

/** The option names that set the mode. */
const MODE_OPTIONS: ReadonlyMap<string, HttpConnectionMode> = new Map([
  ['http-keep-alive', HttpConnectionMode.KeepAlive],
  ['http-server-close', HttpConnectionMode.ServerClose],
  ['httpclose', HttpConnectionMode.Close],
]);

/** The mode `proxy` runs with: its own option lines replayed over its defaults' mode. */
export function httpConnectionMode(proxy: ProxyModel): HttpConnectionMode {
  let mode: HttpConnectionMode = proxy.defaults ? httpConnectionMode(proxy.defaults) : HttpConnectionMode.KeepAlive;
  for (const st of proxy.statements) {
    if (st.keywordWords[0]?.value !== 'option') continue;
    const name = st.keywordWords.length > 1 ? st.keywordWords[1]!.value : st.args[0]?.value;
    const named = name === undefined ? undefined : MODE_OPTIONS.get(name);
    if (named === undefined) continue;
    const modifier = st.modifier?.value;
    // HAProxy 2.6 refuses `default option <mode>` ("cannot handle unexpected argument"): no effect here.
    if (modifier === 'default') continue;
    if (modifier !== 'no') mode = named;
    else if (mode === named) mode = HttpConnectionMode.KeepAlive;
  }
  return mode;
}

/** The server connection closes after the response (either proxy not in keep-alive). */
export function serverSideCloses(frontend: HttpConnectionMode, backend: HttpConnectionMode): boolean {
  return frontend !== HttpConnectionMode.KeepAlive || backend !== HttpConnectionMode.KeepAlive;
}

/** The client connection closes after the response (the frontend's httpclose only). */
export function clientSideCloses(frontend: HttpConnectionMode): boolean {
  return frontend === HttpConnectionMode.Close;
}

const MODE_NAMES: Readonly<Record<HttpConnectionMode, string>> = { 0: 'http-keep-alive', 1: 'http-server-close', 2: 'httpclose' };

/**
 * What the trace says about the connections of a forwarded request when a mode is not
 * keep-alive or a rule wrote its own Connection (`written`: ConnectionToken bits; nothing in the
 * default case): which side closes after the response, why, and the Connection header the
 * server gets.
 */
export function connectionModeNotes(fe: ProxyModel, be: ProxyModel, version: string | undefined, written = 0): string[] {
  const f = httpConnectionMode(fe);
  const b = fe === be ? f : httpConnectionMode(be);
  const modeCloses = serverSideCloses(f, b);
  const modes = [f !== HttpConnectionMode.KeepAlive ? `option ${MODE_NAMES[f]} in ${fe.name}` : '', fe !== be && b !== HttpConnectionMode.KeepAlive ? `option ${MODE_NAMES[b]} in ${be.name}` : ''].filter((w) => w !== '').join(', ');
  const notes: string[] = [];
  if (closesAfter(modeCloses, written)) {
    const why = modeCloses ? modes : 'a rule wrote connection: close';
    const header = version === '1.0' ? 'sent without connection: keep-alive' : 'sent with connection: close';
    notes.push(`server connection closed after the response (${why}); the request is ${header}`);
  } else if (modeCloses) notes.push(`server connection kept open: a rule wrote connection: keep-alive (over ${modes})`);
  if (clientSideCloses(f)) notes.push(`client connection closed after the response, told connection: close (option httpclose in ${fe.name})`);
  return notes;
}
