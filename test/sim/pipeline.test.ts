// The phase pipeline: HAProxy's order (R03's observed trace), final vs non-final actions,
// `allow` ending only its rule set, routing, HAProxy's own responses byte for byte.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinReply, ERROR_CODES, serializeReply } from '../../packages/sim/src/index.js';
import { DEFAULTS, feConfig, forwardedHeaders, pipelineOf, responseHeaders, simulate } from './pipeline-helpers.js';

const R03 = readFileSync('/work/shared/reference/probes/R03_order.cfg', 'utf8');

describe('phase order', () => {
  it("reproduces R03's observed trace string exactly", () => {
    const r = pipelineOf(R03).run({ uri: '/a', frontend: 'fe' }, pipelineOf(R03).createRuntime());
    const xTrace = r.response!.headers.find(([n]) => n === 'x-trace')?.[1];
    expect(xTrace).toBe('tcpconn>tcpsess>fe-tcpcontent>fe-httpreq>be-tcpcontent>be_a-httpreq>be_a-httpresp>fe-httpresp>after');
    expect(r.phases.map((p) => `${p.phase}@${p.proxy}`)).toEqual([
      'tcp-request connection@fe', 'tcp-request session@fe', 'tcp-request content@fe', 'http-request@fe', 'redirect@fe', 'use_backend@fe',
      'tcp-request content@be_a', 'http-request@be_a', 'http-response@be_a', 'http-response@fe', 'http-after-response@fe',
    ]);
  });
  it('http-request rules run before redirect rules whatever the file order (R03 /both → 429)', () => {
    const p = pipelineOf(R03);
    const r = p.run({ uri: '/both', frontend: 'fe' }, p.createRuntime());
    expect(r).toMatchObject({ outcome: 'deny', status: 429, backend: null });
    expect(r.response!.headers.find(([n]) => n === 'x-trace')?.[1]).toBe('tcpconn>tcpsess>fe-tcpcontent>fe-httpreq>after');
  });
  it('a dynamic use_backend naming no backend is skipped', () => {
    const p = pipelineOf(R03);
    expect(p.run({ uri: '/zzz', headers: [['x-be', 'b']], frontend: 'fe' }, p.createRuntime()).backend).toBe('be_b');
    expect(p.run({ uri: '/zzz', headers: [['x-be', 'nosuch']], frontend: 'fe' }, p.createRuntime()).backend).toBe('be_a');
  });
  it('named-defaults rules run before the proxy\'s own', () => {
    const text = ['defaults d', '    mode http', '    timeout connect 1s', '    timeout client 1s', '    timeout server 1s', '    http-request add-header X-Order defaults',
      'frontend fe from d', '    bind :8080', '    http-request add-header X-Order fe', '    default_backend be', ...DEFAULTS, 'backend be', '    server s1 127.0.0.1:1', ''].join('\n');
    expect(forwardedHeaders(simulate(text, { uri: '/' }))).toEqual(['x-order: defaults', 'x-order: fe']);
  });
});

describe('final and non-final actions', () => {
  it('a final action in the frontend skips backend selection, and http-after-response still runs', () => {
    const r = simulate(feConfig(['http-request deny', 'http-after-response set-header X-After 1'], ['http-request set-header X-Be 1']), { uri: '/' });
    expect(r).toMatchObject({ outcome: 'deny', status: 403, backend: null, server: null, request: null });
    expect(responseHeaders(r)).toContain('x-after: 1');
    expect(r.phases.some((p) => p.proxy === 'be')).toBe(false);
  });
  it('allow ends only the current rule set: later frontend rules are skipped, backend rules still run', () => {
    const r = simulate(feConfig(['http-request allow', 'http-request deny'], ['http-request set-header X-Be 1']), { uri: '/' });
    expect(r.outcome).toBe('forward');
    expect(forwardedHeaders(r)).toEqual(['x-be: 1']);
    const fe = r.phases.find((p) => p.phase === 'http-request' && p.proxy === 'fe')!;
    expect(fe.rules.map((x) => x.action)).toEqual(['allow']);
  });
  it('reject closes with no response and no http-after-response', () => {
    const r = simulate(feConfig(['tcp-request connection reject if { src 10.0.0.1 }', 'http-after-response set-header X-After 1']), { uri: '/', src: '10.0.0.1' });
    expect(r).toMatchObject({ outcome: 'reject', status: null, response: null, request: null });
  });
  it('non-final rules all run in order and are reported with their condition', () => {
    const r = simulate(feConfig(['http-request set-header X-A 1 if { path /x }', 'http-request set-header X-B 2']), { uri: '/' });
    expect(r.phases[0]!.rules).toEqual([
      { line: 8, text: 'http-request set-header X-A 1 if { path /x }', condition: false, action: 'set-header', final: false },
      { line: 9, text: 'http-request set-header X-B 2', condition: null, action: 'set-header', final: false },
    ]);
  });
});

describe('forwarding', () => {
  it('option forwardfor appends a separate x-forwarded-for line after rule-added headers (R05)', () => {
    const r = simulate(feConfig(['option forwardfor', 'http-request set-header X-Set a']), { uri: '/', headers: [['X-Forwarded-For', '1.2.3.4']], src: '10.1.2.3' });
    expect(forwardedHeaders(r)).toEqual(['x-forwarded-for: 1.2.3.4', 'x-set: a', 'x-forwarded-for: 10.1.2.3']);
  });
  it('forwardfor except, header and if-none', () => {
    expect(forwardedHeaders(simulate(feConfig(['option forwardfor except 10.0.0.0/8']), { uri: '/', src: '10.1.2.3' }))).toEqual([]);
    expect(forwardedHeaders(simulate(feConfig(['option forwardfor header X-Client']), { uri: '/', src: '192.0.2.1' }))).toEqual(['x-client: 192.0.2.1']);
    expect(forwardedHeaders(simulate(feConfig(['option forwardfor if-none']), { uri: '/', headers: [['X-Forwarded-For', '1.1.1.1']] }))).toEqual(['x-forwarded-for: 1.1.1.1']);
  });
  it('option originalto adds the destination', () => {
    expect(forwardedHeaders(simulate(feConfig(['option originalto']), { uri: '/', dst: '127.0.0.1:8080' }))).toEqual(['x-original-to: 127.0.0.1']);
  });
  it('no usable server → 503 with HAProxy\'s page; no use_backend match and no default → 503', () => {
    const text = [...DEFAULTS, 'frontend fe', '    bind :8080', '    use_backend be if { path /be }', 'backend be', '    server s1 127.0.0.1:1 disabled', ''].join('\n');
    expect(simulate(text, { uri: '/be' })).toMatchObject({ outcome: 'error', status: 503, backend: 'be', server: null });
    expect(simulate(text, { uri: '/x' })).toMatchObject({ outcome: 'error', status: 503, backend: null });
  });
  it('errorfile replaces the built-in page, backend first then frontend', () => {
    const files = { '/e503.http': 'HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body>custom</body></html>\n' };
    const text = [...DEFAULTS, 'frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    errorfile 503 /e503.http', '    server s1 127.0.0.1:1 disabled', ''].join('\n');
    const p = pipelineOf(text, files);
    const r = p.run({ uri: '/' }, p.createRuntime());
    expect(r.status).toBe(503);
    expect(responseHeaders(r)).toEqual(['cache-control: no-cache', 'content-type: text/html']);
    expect(r.body).toBe('<html><body>custom</body></html>\n');
  });
  it('a sequence shares one runtime: round-robin and stickiness carry across requests', () => {
    const text = [...DEFAULTS, 'frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    stick-table type ip size 1k', '    stick on src',
      '    server a 127.0.0.1:1', '    server b 127.0.0.1:2', ''].join('\n');
    const p = pipelineOf(text);
    const rt = p.createRuntime();
    const seq = ['1.1.1.1', '2.2.2.2', '1.1.1.1', '2.2.2.2'].map((src) => p.run({ uri: '/', src }, rt).server);
    expect(seq).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe("HAProxy's own responses, byte for byte (observed on 2.6.12)", () => {
  const wire: Record<number, string> = {
    200: 'HTTP/1.1 200 OK\r\ncontent-length: 58\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n',
    400: 'HTTP/1.1 400 Bad request\r\ncontent-length: 90\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n',
    401: 'HTTP/1.1 401 Unauthorized\r\ncontent-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n',
    403: 'HTTP/1.1 403 Forbidden\r\ncontent-length: 93\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n',
    404: 'HTTP/1.1 404 Not Found\r\ncontent-length: 83\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>404 Not Found</h1>\nThe resource could not be found.\n</body></html>\n',
    405: 'HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 146\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>405 Method Not Allowed</h1>\nA request was made of a resource using a request method not supported by that resource\n</body></html>\n',
    407: 'HTTP/1.1 407 Unauthorized\r\ncontent-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>407 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n',
    408: 'HTTP/1.1 408 Request Time-out\r\ncontent-length: 110\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<html><body><h1>408 Request Time-out</h1>\nYour browser didn\'t send a complete request in time.\n</body></html>\n',
    410: 'HTTP/1.1 410 Gone\r\ncontent-length: 114\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>410 Gone</h1>\nThe resource is no longer available and will not be available again.\n</body></html>\n',
    413: 'HTTP/1.1 413 Payload Too Large\r\ncontent-length: 106\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>413 Payload Too Large</h1>\nThe request entity exceeds the maximum allowed.\n</body></html>\n',
    421: 'HTTP/1.1 421 Misdirected Request\r\ncontent-length: 104\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>421 Misdirected Request</h1>\nRequest sent to a non-authoritative server.\n</body></html>\n',
    422: 'HTTP/1.1 422 Unprocessable Content\r\ncontent-length: 116\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>422 Unprocessable Content</h1>\nThe server cannot process the contained instructions.\n</body></html>\n',
    425: 'HTTP/1.1 425 Too Early\r\ncontent-length: 80\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>425 Too Early</h1>\nYour browser sent early data.\n</body></html>\n',
    429: 'HTTP/1.1 429 Too Many Requests\r\ncontent-length: 117\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n',
    500: 'HTTP/1.1 500 Internal Server Error\r\ncontent-length: 97\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>500 Internal Server Error</h1>\nAn internal server error occurred.\n</body></html>\n',
    501: 'HTTP/1.1 501 Not Implemented\r\ncontent-length: 136\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>501 Not Implemented</h1>\n.The server does not support the functionality required to fulfill the request.\n</body></html>\n',
    502: 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n',
    503: 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
    504: 'HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>504 Gateway Time-out</h1>\nThe server didn\'t respond in time.\n</body></html>\n',
  };
  it('covers every code deny_status accepts', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(wire).map(Number).sort());
  });
  for (const [code, bytes] of Object.entries(wire)) {
    it(`${code}`, () => {
      expect(serializeReply(builtinReply(Number(code))!)).toBe(bytes);
      const r = simulate(feConfig([`http-request deny deny_status ${code}`]), { uri: '/' });
      expect(r.status).toBe(Number(code));
      expect(r.body).toBe(bytes.slice(bytes.indexOf('\r\n\r\n') + 4));
    });
  }
});
