// `server … ssl`: options for tls.connect built once from the server line. verify required
// with the right CA succeeds and with another CA fails; the certificate's names are checked
// against the SNI sent (or verifyhost); verify none accepts anything; a client certificate
// (crt) is presented; and HAProxy's start-up refusal of verify-by-default without a CA.
import { createServer, type Server } from 'node:tls';
import { connect as tcp } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTls, type ServerTls } from '../../packages/proxy/src/tls/index.js';
import { renderDiagnostic } from '../../packages/proxy/src/config/load-config.js';
import { hasOpenssl, makePki, modelOf, type Pki } from './tls-fixtures.js';

describe.skipIf(!hasOpenssl())('server ssl', () => {
  let pki: Pki;
  let origin: Server;
  let port = 0;
  let clientSeen: string | undefined;

  beforeAll(async () => {
    pki = makePki();
    const pem = pki.read(pki.leaf('origin', 'origin.test', ['origin.test']));
    pki.leaf('client', 'haplo-client', []);
    origin = createServer({ key: pem, cert: pem, requestCert: true, rejectUnauthorized: false, ca: [pki.read(pki.ca)] }, (s) => {
      clientSeen = s.getPeerX509Certificate()?.subject;
      s.end(`hello ${s.servername || '-'}`);
    });
    origin.on('tlsClientError', () => {});
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    port = (origin.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => origin.close(() => r()));
    pki.cleanup();
  });

  function serverTls(line: string, global = ''): ServerTls {
    const t = loadTls(modelOf(`global\n    ca-base ${pki.dir}\n    crt-base ${pki.dir}\n${global}backend b\n    ${line}\n`), { cwd: pki.dir });
    expect(t.diagnostics.map(renderDiagnostic)).toEqual([]);
    return [...t.servers.values()][0]!;
  }

  /** Connects the way the upstream layer will: TCP first, then TLS over it. */
  function talk(tls: ServerTls, sni?: string): Promise<string> {
    return new Promise((resolve) => {
      const raw = tcp(port, '127.0.0.1');
      raw.on('error', () => {});
      const c = connect({ socket: raw, ...tls.connectOptions(sni) });
      let got = '';
      c.on('data', (d) => (got += d.toString()));
      c.on('error', (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      c.on('end', () => resolve(got));
    });
  }

  it('verify required with the CA that signed the server succeeds', async () => {
    expect(await talk(serverTls('server s 127.0.0.1:1 ssl verify required ca-file ca.pem'))).toBe('hello -');
  });
  it('verify required with another CA fails', async () => {
    const other = pki.otherCa();
    expect(await talk(serverTls(`server s 127.0.0.1:1 ssl verify required ca-file ${other.ca}`))).toMatch(/^error: /);
  });
  it('the SNI sent is checked against the certificate names', async () => {
    const tls = serverTls('server s 127.0.0.1:1 ssl verify required ca-file ca.pem sni str(origin.test)');
    expect(tls.sniExpression).toBe('str(origin.test)');
    expect(await talk(tls, 'origin.test')).toBe('hello origin.test');
    expect(await talk(tls, 'other.test')).toBe('error: ERR_TLS_CERT_ALTNAME_INVALID');
  });
  it('verifyhost checks the names when no SNI is sent', async () => {
    expect(await talk(serverTls('server s 127.0.0.1:1 ssl ca-file ca.pem verifyhost origin.test'))).toBe('hello -');
    expect(await talk(serverTls('server s 127.0.0.1:1 ssl ca-file ca.pem verifyhost nope.test'))).toBe('error: ERR_TLS_CERT_ALTNAME_INVALID');
  });
  it('verify none accepts any certificate', async () => {
    const other = pki.otherCa();
    expect(await talk(serverTls(`server s 127.0.0.1:1 ssl verify none ca-file ${other.ca}`))).toBe('hello -');
    expect(await talk(serverTls('server s 127.0.0.1:1 ssl', '    ssl-server-verify none\n'))).toBe('hello -');
  });
  it('crt presents a client certificate', async () => {
    clientSeen = undefined;
    expect(await talk(serverTls('server s 127.0.0.1:1 ssl verify none crt client.pem'))).toBe('hello -');
    expect(clientSeen).toBe('O=Haplo\nCN=haplo-client');
  });
  it('default-server ssl options reach the server', async () => {
    const t = loadTls(modelOf(`global\n    ca-base ${pki.dir}\nbackend b\n    default-server ssl ca-file ca.pem\n    server s 127.0.0.1:1\n`), { cwd: pki.dir });
    expect(t.failed).toBe(false);
    expect(await talk([...t.servers.values()][0]!)).toBe('hello -');
  });
  it('verify by default without a CA refuses to start, like HAProxy', () => {
    const t = loadTls(modelOf('backend b\n    server s 127.0.0.1:1 ssl\n    server t 127.0.0.1:1\n'), { cwd: pki.dir });
    expect(t.failed).toBe(true);
    expect(t.diagnostics.map(renderDiagnostic)).toEqual([
      expect.stringMatching(/^tls\.cfg:2:26: error\[RUN6002\]: verify is required by default but no CA file is given: add 'ca-file <CA PEM>', or 'verify none'/),
    ]);
    expect(t.servers.size).toBe(0);
  });
});
