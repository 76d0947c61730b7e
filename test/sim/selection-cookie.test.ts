// Cookie persistence: request side (read, strip) and response side (insert, rewrite, prefix).
import { describe, expect, it } from 'vitest';
import { compileSelection, createContext, createRuntime, fullValues } from '../../packages/sim/src/index.js';
import { model } from './helpers.js';

function run(cookieLine: string, reqCookie: string | undefined, serverSetCookie?: string, extra: string[] = []) {
  const m = model(['backend be', '  mode http', `  ${cookieLine}`, ...extra.map((l) => '  ' + l), '  server a 127.0.0.1:1 cookie ca', '  server b 127.0.0.1:2 cookie cb'].join('\n') + '\n');
  const rt = createRuntime(m);
  const sel = compileSelection(m.proxies[0]!);
  const ctx = createContext({ request: { uri: '/', headers: reqCookie ? [['cookie', reqCookie]] : [] }, backend: 'be' });
  const s = sel(ctx, rt);
  ctx.response = { status: 200, reason: 'OK', version: '1.1', headers: { entries: serverSetCookie ? [{ name: 'Set-Cookie', value: serverSetCookie }] : [] }, body: new Uint8Array() };
  sel.applyCookieResponse(ctx, rt, s);
  return {
    server: s.server, reason: s.reason, verdict: s.cookie,
    forwardedCookie: fullValues(ctx.request!.headers, 'cookie').join(' | '),
    setCookie: fullValues(ctx.response.headers, 'set-cookie').join(' | '),
    cacheControl: fullValues(ctx.response.headers, 'cache-control').join(','),
  };
}

describe('cookie persistence', () => {
  it.each([
    // cookie line, request cookie, server Set-Cookie, expected
    ['cookie SRV insert indirect nocache', undefined, undefined, { server: 'a', reason: 'balance', setCookie: 'SRV=ca; path=/', cacheControl: 'private' }],
    ['cookie SRV insert indirect nocache', 'SRV=cb', undefined, { server: 'b', reason: 'cookie', verdict: 'valid', setCookie: '', forwardedCookie: '' }],
    ['cookie SRV insert indirect', 'x=1; SRV=cb; y=2', undefined, { server: 'b', forwardedCookie: 'x=1; y=2' }],
    ['cookie SRV insert indirect', 'SRV=zz', undefined, { server: 'a', reason: 'balance', verdict: 'invalid', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV insert', 'SRV=cb', undefined, { server: 'b', setCookie: '', forwardedCookie: 'SRV=cb' }],
    ['cookie SRV insert', undefined, 'SRV=app', { server: 'a', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV insert preserve', undefined, 'SRV=app', { server: 'a', setCookie: 'SRV=app' }],
    ['cookie SRV insert httponly secure domain .ex.com', undefined, undefined, { setCookie: 'SRV=ca; path=/; domain=.ex.com; HttpOnly; Secure' }],
    ['cookie SRV rewrite', undefined, 'SRV=app; path=/', { server: 'a', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV rewrite', 'SRV=cb', undefined, { server: 'b', reason: 'cookie' }],
    ['cookie JSESSIONID prefix', 'JSESSIONID=cb~abc123', undefined, { server: 'b', reason: 'cookie', forwardedCookie: 'JSESSIONID=abc123' }],
    ['cookie JSESSIONID prefix', undefined, 'JSESSIONID=abc123; path=/', { server: 'a', setCookie: 'JSESSIONID=ca~abc123; path=/' }],
  ] as const)('%s with request cookie %s and server cookie %s', (line, rc, sc, expected) => {
    expect(run(line, rc, sc)).toMatchObject(expected);
  });

  it('a cookie naming a DOWN server falls back to balancing, unless option persist', () => {
    const m = model(['backend be', '  mode http', '  cookie SRV insert indirect', '  server a 127.0.0.1:1 cookie ca', '  server b 127.0.0.1:2 cookie cb'].join('\n') + '\n');
    const rt = createRuntime(m);
    rt.setServerState('be', 'b', 'DOWN');
    const sel = compileSelection(m.proxies[0]!);
    expect(sel(createContext({ request: { uri: '/', headers: [['cookie', 'SRV=cb']] }, backend: 'be' }), rt)).toMatchObject({ server: 'a', cookie: 'down' });
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['option persist'])).toMatchObject({ server: 'b' });
  });

  it('use-server wins over the cookie, which is still stripped', () => {
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['use-server a if TRUE'])).toMatchObject({ server: 'a', reason: 'use-server', verdict: 'unused', forwardedCookie: '' });
  });

  it('ignore-persist ignores the cookie', () => {
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['ignore-persist if TRUE'])).toMatchObject({ server: 'a', reason: 'balance', setCookie: '' });
  });
});
