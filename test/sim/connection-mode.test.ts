// The HTTP connection mode a proxy runs with (option http-keep-alive / http-server-close /
// httpclose and their `no` forms, defaults folded in) and what it means for each side. The wire
// behaviour is checked against HAProxy 2.6 in test/differential/connection-mode-vs-haproxy.test.ts.
import { describe, expect, it } from 'vitest';
import { clientSideCloses, HttpConnectionMode, httpConnectionMode, serverSideCloses } from '../../packages/sim/src/index.js';
import { feConfig, pipelineOf, simulate } from './pipeline-helpers.js';

const { KeepAlive, ServerClose, Close } = HttpConnectionMode;

/** The modes of `fe` and `be` for a config with `defaults`, frontend and backend lines. */
function modes(defaults: string[], fe: string[], be: string[] = []): [HttpConnectionMode, HttpConnectionMode] {
  const text = ['defaults', '  mode http', ...defaults.map((l) => `  ${l}`), 'frontend fe', '  bind 127.0.0.1:8080', ...fe.map((l) => `  ${l}`),
    '  default_backend be', 'backend be', ...be.map((l) => `  ${l}`), '  server s1 127.0.0.1:9001', ''].join('\n');
  const p = pipelineOf(text);
  return [httpConnectionMode(p.frontends.find((f) => f.name === 'fe')!.model), httpConnectionMode(p.backends.get('be')!.model)];
}

describe('httpConnectionMode', () => {
  it('is keep-alive when nothing is written', () => {
    expect(modes([], [])).toEqual([KeepAlive, KeepAlive]);
  });
  it('reads each option, inherited from defaults', () => {
    expect(modes(['option httpclose'], [])).toEqual([Close, Close]);
    expect(modes(['option http-server-close'], [])).toEqual([ServerClose, ServerClose]);
    expect(modes([], ['option httpclose'], ['option http-server-close'])).toEqual([Close, ServerClose]);
  });
  it('takes the last of the three options written', () => {
    expect(modes(['option httpclose', 'option http-server-close'], [])).toEqual([ServerClose, ServerClose]);
    expect(modes(['option http-server-close', 'option httpclose'], [])).toEqual([Close, Close]);
    expect(modes(['option httpclose'], ['option http-keep-alive'])).toEqual([KeepAlive, Close]);
  });
  it('lets the proxy override its defaults whatever the line order', () => {
    expect(modes(['option http-server-close'], ['option httpclose'], ['option http-keep-alive'])).toEqual([Close, KeepAlive]);
  });
  it('makes `no option X` go back to keep-alive only when X is the mode', () => {
    expect(modes(['option httpclose'], ['no option httpclose'])).toEqual([KeepAlive, Close]);
    expect(modes(['option httpclose', 'no option http-server-close'], [])).toEqual([Close, Close]);
    expect(modes(['option httpclose'], ['no option http-server-close'])).toEqual([Close, Close]);
    expect(modes(['option http-server-close'], ['option httpclose', 'no option httpclose'])).toEqual([KeepAlive, ServerClose]);
  });
});

describe('what the mode closes', () => {
  it('closes the server side when either proxy is not keep-alive', () => {
    expect(serverSideCloses(KeepAlive, KeepAlive)).toBe(false);
    expect(serverSideCloses(ServerClose, KeepAlive)).toBe(true);
    expect(serverSideCloses(KeepAlive, Close)).toBe(true);
  });
  it('closes the client side only for the frontend\'s httpclose', () => {
    expect(clientSideCloses(Close)).toBe(true);
    expect(clientSideCloses(ServerClose)).toBe(false);
    expect(clientSideCloses(KeepAlive)).toBe(false);
  });
});

describe('haplo sim shows the connection mode of a forwarded request', () => {
  const notes = (fe: string[], be: string[], version?: '1.0' | '1.1') =>
    simulate(feConfig(fe, be), { uri: '/', headers: [['host', 'a']], ...(version ? { version } : {}) }).trace.flatMap((e) => (e.type === 'note' && e.text.includes('connection') ? [e.text] : []));
  it('says nothing in keep-alive mode', () => {
    expect(notes([], [])).toEqual([]);
  });
  it('names the option that closes the server side, and the header the server gets', () => {
    expect(notes([], ['option http-server-close'])).toEqual(['server connection closed after the response (option http-server-close in be); the request is sent with connection: close']);
    expect(notes(['option http-server-close'], [], '1.0')).toEqual(['server connection closed after the response (option http-server-close in fe); the request is sent without connection: keep-alive']);
  });
  it('adds the client side for the frontend\'s httpclose', () => {
    expect(notes(['option httpclose'], [])).toEqual([
      'server connection closed after the response (option httpclose in fe); the request is sent with connection: close',
      'client connection closed after the response, told connection: close (option httpclose in fe)',
    ]);
  });
});
