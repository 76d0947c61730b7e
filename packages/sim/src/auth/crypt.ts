// crypt(3) verification for userlist `password` hashes, with node:crypto: SHA-256 (`$5$`) and
// SHA-512 (`$6$`) crypt as Ulrich Drepper's specification defines them, and MD5 crypt (`$1$`).
// bcrypt, yescrypt and DES crypt are not computed here: `verifyCrypt` answers 'unsupported'.
import { createHash } from 'node:crypto';

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt's base-64: `n` characters from three bytes, least significant six bits first. */
function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ALPHABET[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

const hash = (algo: string, ...parts: Buffer[]): Buffer => {
  const h = createHash(algo);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `len` bytes made of `block` repeated (the P and S sequences of the specification). */
function repeatTo(block: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += block.length) block.copy(out, i, 0, Math.min(block.length, len - i));
  return out;
}

const SHA256_ORDER = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]];
const SHA512_ORDER = [[0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51],
  [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]];

/** SHA-crypt of `password` with the settings of `setting` (`$5$[rounds=N$]salt…`); undefined when malformed. */
export function shaCrypt(password: string, setting: string): string | undefined {
  const m = /^\$([56])\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting);
  if (!m) return undefined;
  const sha512 = m[1] === '6';
  const algo = sha512 ? 'sha512' : 'sha256';
  const size = sha512 ? 64 : 32;
  const custom = m[2] !== undefined;
  const rounds = custom ? Math.min(999_999_999, Math.max(1000, Number(m[2]))) : 5000;
  const salt = Buffer.from(m[3]!.slice(0, 16), 'utf8');
  const pw = Buffer.from(password, 'utf8');

  const b = hash(algo, pw, salt, pw);
  const a = createHash(algo);
  a.update(pw);
  a.update(salt);
  let cnt = pw.length;
  for (; cnt > size; cnt -= size) a.update(b);
  a.update(b.subarray(0, cnt));
  for (cnt = pw.length; cnt > 0; cnt >>= 1) a.update(cnt & 1 ? b : pw);
  let c = a.digest();

  const dp = createHash(algo);
  for (let i = 0; i < pw.length; i++) dp.update(pw);
  const p = repeatTo(dp.digest(), pw.length);
  const ds = createHash(algo);
  for (let i = 0; i < 16 + c[0]!; i++) ds.update(salt);
  const s = repeatTo(ds.digest(), salt.length);

  for (let i = 0; i < rounds; i++) {
    const h = createHash(algo);
    h.update(i & 1 ? p : c);
    if (i % 3 !== 0) h.update(s);
    if (i % 7 !== 0) h.update(p);
    h.update(i & 1 ? c : p);
    c = h.digest();
  }

  let out = '';
  for (const [x, y, z] of sha512 ? SHA512_ORDER : SHA256_ORDER) out += b64(c[x!]!, c[y!]!, c[z!]!, 4);
  out += sha512 ? b64(0, 0, c[63]!, 2) : b64(0, c[31]!, c[30]!, 3);
  return `$${m[1]}$${custom ? `rounds=${rounds}$` : ''}${salt.toString('utf8')}$${out}`;
}

/** MD5-crypt (`$1$salt$…`); undefined when malformed. */
export function md5Crypt(password: string, setting: string): string | undefined {
  const m = /^\$1\$([^$]*)/.exec(setting);
  if (!m) return undefined;
  const salt = Buffer.from(m[1]!.slice(0, 8), 'utf8');
  const pw = Buffer.from(password, 'utf8');
  let fin = hash('md5', pw, salt, pw);
  const ctx = createHash('md5');
  ctx.update(pw);
  ctx.update('$1$');
  ctx.update(salt);
  for (let pl = pw.length; pl > 0; pl -= 16) ctx.update(fin.subarray(0, Math.min(pl, 16)));
  for (let i = pw.length; i; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  fin = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const h = createHash('md5');
    h.update(i & 1 ? pw : fin);
    if (i % 3) h.update(salt);
    if (i % 7) h.update(pw);
    h.update(i & 1 ? fin : pw);
    fin = h.digest();
  }
  const f = fin;
  const out = b64(f[0]!, f[6]!, f[12]!, 4) + b64(f[1]!, f[7]!, f[13]!, 4) + b64(f[2]!, f[8]!, f[14]!, 4) +
    b64(f[3]!, f[9]!, f[15]!, 4) + b64(f[4]!, f[10]!, f[5]!, 4) + b64(0, 0, f[11]!, 2);
  return `$1$${salt.toString('utf8')}$${out}`;
}

/**
 * Whether `password` matches the crypt(3) `stored` hash; 'unsupported' for a scheme this module
 * does not compute (bcrypt `$2…$`, yescrypt `$y$`, DES…).
 */
export function verifyCrypt(password: string, stored: string): boolean | 'unsupported' {
  if (stored.startsWith('$5$') || stored.startsWith('$6$')) return shaCrypt(password, stored) === stored;
  if (stored.startsWith('$1$')) return md5Crypt(password, stored) === stored;
  return 'unsupported';
}
