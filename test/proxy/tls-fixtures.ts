// Test certificates made with Debian's openssl in a temporary directory: a CA, and leaf
// certificates it signs (or self-signed ones) with chosen CN and DNS names, written as the
// PEM files HAProxy expects (certificate then key in one file). EC P-256 keys: fast to make.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSources, type Model } from '@haplo/parser';

export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

export interface Pki {
  dir: string;
  /** CA certificate path. */
  ca: string;
  caKey: string;
  /** Makes `<name>.pem` (cert + key) signed by the CA, or self-signed; returns its path. */
  leaf(name: string, cn: string, dnsNames?: string[], options?: { selfSigned?: boolean; keySeparate?: boolean }): string;
  /** A second, unrelated CA (for "wrong CA" cases). */
  otherCa(): { ca: string; caKey: string };
  write(name: string, text: string): string;
  read(path: string): string;
  cleanup(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-tls-'));
  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Haplo Test CA'], dir);
  let others = 0;
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    leaf(name, cn, dnsNames = [], options = {}) {
      const args = ['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/O=Haplo/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:FALSE'];
      if (!options.selfSigned) args.push('-CA', 'ca.pem', '-CAkey', 'ca.key');
      if (dnsNames.length) args.push('-addext', `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}`);
      openssl(args, dir);
      const cert = readFileSync(join(dir, `${name}.crt`), 'utf8');
      const key = readFileSync(join(dir, `${name}.key`), 'utf8');
      const pem = join(dir, `${name}.pem`);
      if (options.keySeparate) {
        writeFileSync(pem, cert);
        writeFileSync(`${pem}.key`, key);
      } else writeFileSync(pem, cert + key);
      return pem;
    },
    otherCa() {
      const n = `other${others++}`;
      openssl(['req', '-x509', ...EC, '-keyout', `${n}.key`, '-out', `${n}.pem`, '-subj', `/CN=Other CA ${n}`], dir);
      return { ca: join(dir, `${n}.pem`), caKey: join(dir, `${n}.key`) };
    },
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    read: (p) => readFileSync(p, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A checked model of `text` (named `path`); throws on parser errors. */
export function modelOf(text: string, path = 'tls.cfg'): Model {
  const r = checkSources([{ path, text }], {});
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  return r.model;
}

export interface RunningHaproxy {
  log: () => string;
  close(): Promise<void>;
}

/** Starts `haproxy -db` on `cfg` (written in `dir`, its working directory) and waits until every port accepts. */
export async function startHaproxyOn(cfg: string, dir: string, ports: number[]): Promise<RunningHaproxy> {
  const { spawn } = await import('node:child_process');
  const { connect } = await import('node:net');
  const file = join(dir, `haproxy-${Date.now()}.cfg`);
  writeFileSync(file, cfg);
  let log = '';
  const child = spawn('haproxy', ['-db', '-f', file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/bin' } });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 8000;
  for (const port of ports) {
    for (;;) {
      const ok = await new Promise<boolean>((r) => {
        const c = connect({ port, host: '127.0.0.1' }, () => (c.destroy(), r(true)));
        c.on('error', () => r(false));
      });
      if (ok) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        await close();
        throw new Error(`haproxy did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { log: () => log, close };
}

/** `size` consecutive ports for one test file's listeners: see test/support/ports.ts. */
export { portBlock } from '../support/ports.js';

export interface Handshake {
  ok: boolean;
  /** CN of the certificate the server presented. */
  cn?: string;
  alpn?: string | false;
  protocol?: string | null;
  /** What the server wrote after the handshake (haplo's listener writes its TlsInfo as JSON). */
  data: string;
  error?: string;
}

/** A TLS client handshake against 127.0.0.1:port; resolves once the server closes. */
export function handshake(port: number, options: import('node:tls').ConnectionOptions = {}, prefix?: Buffer): Promise<Handshake> {
  return new Promise(async (resolve) => {
    const { connect: tcp } = await import('node:net');
    const { connect } = await import('node:tls');
    const raw = tcp(port, '127.0.0.1');
    raw.on('error', () => {});
    await new Promise<void>((r) => raw.on('connect', () => r()));
    if (prefix) raw.write(prefix);
    const c = connect({ socket: raw, rejectUnauthorized: false, ...options });
    const out: Handshake = { ok: false, data: '' };
    const timer = setTimeout(() => c.destroy(), 4000);
    c.on('secureConnect', () => {
      out.ok = true;
      const cert = c.getPeerX509Certificate();
      out.cn = cert?.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
      out.alpn = c.alpnProtocol;
      out.protocol = c.getProtocol();
    });
    c.on('data', (d) => (out.data += d.toString()));
    c.on('error', (e) => (out.error ??= e.message));
    c.on('close', () => {
      clearTimeout(timer);
      // TLS 1.3: a refused client certificate arrives after the client saw its handshake end.
      if (out.ok && out.data === '' && out.error) out.ok = false;
      resolve(out);
    });
  });
}
