// The Connection rule HAProxy 2.6's HTTP/1 layer applies (connection-header.ts), as a table of
// values observed with the binary (test/differential/forwarded-head-vs-haproxy.test.ts), and
// what `haplo sim` therefore shows: rules see the cleaned header, the request as forwarded and
// the response as returned carry the lines `haplo run` writes.
import { describe, expect, it } from 'vitest';
import {
  cleanConnectionValue,
  closesAfter,
  ConnectionToken,
  connectionTokens,
  requestConnection,
  responseConnection,
} from '../../packages/sim/src/pipeline/connection-header.js';
import { feConfig, pipelineOf } from './pipeline-helpers.js';

const { Close, KeepAlive, Upgrade } = ConnectionToken;

describe('cleanConnectionValue', () => {
  it.each([
    ['keep-alive', ''],
    ['Close', ''],
    ['KEEP-ALIVE, x', 'x'],
    ['keep-alive, X-Foo', 'X-Foo'],
    ['X , Y, close', 'X , Y'],
    ['close, X , Y', 'X,Y'],
    ['X-A , close ,X-B', 'X-A ,X-B'],
    ['close,  X-A,,X-B', 'X-A,,X-B'],
    ['X-A ,  X-B', 'X-A ,  X-B'],
    [',X', ',X'],
    ['Upgrade, X-Foo', 'Upgrade, X-Foo'],
    ['close, keep-alive', ''],
    ['', ''],
  ])('%j becomes %j', (value, cleaned) => {
    expect(cleanConnectionValue(value)).toBe(cleaned);
  });
});

describe('connectionTokens', () => {
  it('names close, keep-alive and upgrade in any case and position', () => {
    expect(connectionTokens('X, Close ,keep-ALIVE')).toBe(Close | KeepAlive);
    expect(connectionTokens('upgrade')).toBe(Upgrade);
    expect(connectionTokens('closed, keep-alives, x-upgrade')).toBe(0);
  });
});

describe('the connection line the proxy appends', () => {
  it('to a request: close to HTTP/1.1 when the server side closes, keep-alive to HTTP/1.0 when it stays', () => {
    expect(requestConnection('1.1', false, 0)).toBe('');
    expect(requestConnection('1.1', true, 0)).toBe('close');
    expect(requestConnection('1.0', false, 0)).toBe('keep-alive');
    expect(requestConnection('1.0', true, 0)).toBe('');
    expect(requestConnection('1.1', true, Upgrade)).toBe('');
  });

  it('to a response: keep-alive when the response or the client is HTTP/1.0, close to an HTTP/1.1 response', () => {
    expect(responseConnection('1.1', '1.1', false, 0)).toBe('');
    expect(responseConnection('1.1', '1.0', false, 0)).toBe('keep-alive');
    expect(responseConnection('1.0', '1.1', false, 0)).toBe('keep-alive');
    expect(responseConnection('1.1', '1.1', true, 0)).toBe('close');
    expect(responseConnection('1.0', '1.1', true, 0)).toBe('');
    expect(responseConnection('1.1', '1.1', true, Upgrade)).toBe('');
  });

  it('a Connection a rule wrote has the last word over the mode', () => {
    expect(closesAfter(false, 0)).toBe(false);
    expect(closesAfter(true, 0)).toBe(true);
    expect(closesAfter(false, Close)).toBe(true);
    expect(closesAfter(true, KeepAlive)).toBe(false);
    expect(closesAfter(true, KeepAlive | Close)).toBe(true);
  });
});

describe('haplo sim shows the Connection lines haplo run writes', () => {
  const seen = ['http-request set-header X-Seen "%[req.hdr_cnt(connection)]:%[req.fhdr(connection)]"'];

  it('rules see the client Connection without close and keep-alive; the server gets what is left', () => {
    const p = pipelineOf(feConfig(seen));
    const r = p.run({ uri: '/', headers: [['Host', 'a'], ['Connection', 'keep-alive, X-Foo'], ['X-Foo', '1']] }, p.createRuntime());
    expect(r.request).toEqual({ method: 'GET', uri: '/', version: '1.1', headers: [['host', 'a'], ['connection', 'X-Foo'], ['x-foo', '1'], ['x-seen', '1:X-Foo']] });
  });

  it('Connection: close reaches no rule and not the server; the client is told close', () => {
    const p = pipelineOf(feConfig(seen));
    const r = p.run({ uri: '/', headers: [['Host', 'a'], ['Connection', 'close']] }, p.createRuntime(), { headers: [['Content-Length', '0']] });
    expect(r.request!.headers).toEqual([['host', 'a'], ['x-seen', '0:']]);
    expect(r.response!.headers).toEqual([['content-length', '0'], ['connection', 'close']]);
  });

  it('an HTTP/1.0 request is forwarded as HTTP/1.0 with keep-alive, and the client told keep-alive when it asked', () => {
    const p = pipelineOf(feConfig([]));
    const r = p.run({ uri: '/', version: '1.0', headers: [['Connection', 'keep-alive']] }, p.createRuntime(), { headers: [['Content-Length', '2']], body: 'ok' });
    expect(r.request).toEqual({ method: 'GET', uri: '/', version: '1.0', headers: [['connection', 'keep-alive']] });
    expect(r.response!.headers).toEqual([['content-length', '2'], ['connection', 'keep-alive']]);
  });

  it('http-server-close in the backend: the server is told close, the client is not', () => {
    const p = pipelineOf(feConfig([], ['option http-server-close']));
    const r = p.run({ uri: '/', headers: [['Host', 'a']] }, p.createRuntime(), { headers: [['Content-Length', '0'], ['Connection', 'keep-alive, X-Bar']] });
    expect(r.request!.headers).toEqual([['host', 'a'], ['connection', 'close']]);
    expect(r.response!.headers).toEqual([['content-length', '0'], ['connection', 'X-Bar']]);
  });

  it('httpclose in the frontend closes both sides; a body without Content-Length gets one', () => {
    const p = pipelineOf(feConfig(['option httpclose']));
    const r = p.run({ uri: '/', method: 'POST', headers: [['Host', 'a']], body: 'abc' }, p.createRuntime(), { body: 'hello' });
    expect(r.request!.headers).toEqual([['host', 'a'], ['content-length', '3'], ['connection', 'close']]);
    expect(r.response!.headers).toEqual([['content-length', '5'], ['connection', 'close']]);
  });

  it('a WebSocket upgrade keeps its upgrade token and gets no close under http-server-close', () => {
    const p = pipelineOf(feConfig(['option http-server-close']));
    const r = p.run({ uri: '/ws', headers: [['Host', 'a'], ['Connection', 'Upgrade'], ['Upgrade', 'websocket']] }, p.createRuntime(),
      { status: 101, headers: [['Connection', 'Upgrade'], ['Upgrade', 'websocket']] });
    expect(r.request!.headers).toEqual([['host', 'a'], ['connection', 'Upgrade'], ['upgrade', 'websocket']]);
    expect(r.response!.headers).toEqual([['connection', 'Upgrade'], ['upgrade', 'websocket']]);
  });

  it('a rule that writes Connection: keep-alive keeps the server side open under httpclose, and the trace says so', () => {
    const p = pipelineOf(feConfig(['option httpclose', 'http-request set-header Connection keep-alive']));
    const r = p.run({ uri: '/', headers: [['Host', 'a']] }, p.createRuntime(), { headers: [['Content-Length', '0']] });
    expect(r.request!.headers).toEqual([['host', 'a']]);
    expect(r.response!.headers).toEqual([['content-length', '0'], ['connection', 'close']]);
    const notes = r.trace.flatMap((e) => (e.type === 'note' ? [e.text] : []));
    expect(notes).toContain('server connection kept open: a rule wrote connection: keep-alive (over option httpclose in fe)');
  });

  it('the trace prints the request line with its version and the appended connection line', () => {
    const p = pipelineOf(feConfig(['option http-server-close']));
    const r = p.run({ uri: '/x', headers: [['Host', 'a']] }, p.createRuntime());
    const forward = r.trace.find((e) => e.type === 'forward');
    expect(forward).toMatchObject({ request: { method: 'GET', uri: '/x', version: '1.1', headers: [['host', 'a'], ['connection', 'close']] } });
  });
});
