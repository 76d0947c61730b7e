// `server … ssl sni req.hdr(host)` in `haplo run`: the HTTP session hands its stream to the
// upstream connect, so the SNI the server sees is the request's Host (HAProxy evaluates a
// server's `sni` expression on the stream). Without the stream only connection fetches answer
// and the expression would be empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { oneRequest } from './run-harness.js';
import { startTlsOrigin, type TlsOrigin } from './run-tls-clients.js';
import { hasOpenssl, makePki, portBlock, type Pki } from './tls-fixtures.js';

const PORT = portBlock(2);

describe.skipIf(!hasOpenssl())('haplo run: a server sni read from the request', () => {
  let pki: Pki;
  let origin: TlsOrigin;
  let haplo: RunningHaplo;

  beforeAll(async () => {
    pki = makePki();
    origin = await startTlsOrigin(pki.read(pki.leaf('origin', 'origin.test', ['origin.test', '*.origin.test'])));
    haplo = await startHaploRun(`
global
    ca-base ${pki.dir}
defaults
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
frontend fe
    bind 127.0.0.1:${PORT}
    default_backend be
backend be
    server o 127.0.0.1:${origin.port} ssl verify required ca-file ca.pem sni req.hdr(host)
`, [PORT]);
  });
  afterAll(async () => {
    await haplo?.stop();
    await origin?.close();
    pki?.cleanup();
  });

  it('each request reaches the origin with its Host as the SNI', async () => {
    for (const host of ['origin.test', 'a.origin.test']) {
      const { response, client } = await oneRequest(PORT, `GET / HTTP/1.1\r\nhost: ${host}\r\n\r\n`);
      client.close();
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(`tls-origin|${host}`);
    }
    expect(origin.handshakes.slice(-2)).toEqual(['origin.test', 'a.origin.test']);
  });
});
