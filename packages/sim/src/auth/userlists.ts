// `userlist` sections compiled once for http_auth / http_auth_group: users with their password
// (insecure-password compared as is; `password` hashes verified with crypt(3) schemes Node can
// compute — SHA-256 `$5$`, SHA-512 `$6$` and MD5 `$1$`), and group membership from both
// `user … groups` and `group … users`.
import type { Model, Section } from '@haplo/parser';
import { verifyCrypt } from './crypt.js';

export interface UserEntry {
  name: string;
  /** The password as written, or its crypt(3) hash. */
  secret: string;
  insecure: boolean;
  groups: Set<string>;
}

export interface Userlist {
  name: string;
  users: ReadonlyMap<string, UserEntry>;
  /** Users whose hash scheme is not simulated (never authenticated), with the scheme. */
  unsupported: { user: string; scheme: string }[];
  /** Whether `user`/`pass` authenticate (what http_auth answers). */
  check(user: string, pass: string): boolean;
}

const csv = (text: string | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

function compileUserlist(section: Section): Userlist {
  const users = new Map<string, UserEntry>();
  const groupMembers: [string, string[]][] = [];
  for (const st of section.statements) {
    const words = st.args.map((w) => w.value);
    if (st.keyword === 'group') {
      const name = words[0];
      if (!name) continue;
      const i = words.indexOf('users');
      groupMembers.push([name, i > 0 ? csv(words[i + 1]) : []]);
    } else if (st.keyword === 'user') {
      const name = words[0];
      if (!name) continue;
      const u: UserEntry = { name, secret: '', insecure: false, groups: new Set() };
      for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (w === 'password' || w === 'insecure-password') {
          u.secret = words[++i] ?? '';
          u.insecure = w === 'insecure-password';
        } else if (w === 'groups') for (const g of csv(words[++i])) u.groups.add(g);
      }
      users.set(name, u);
    }
  }
  for (const [group, members] of groupMembers) for (const m of members) users.get(m)?.groups.add(group);
  const unsupported: Userlist['unsupported'] = [];
  for (const u of users.values()) {
    if (u.insecure) continue;
    const v = verifyCrypt('', u.secret);
    if (v === 'unsupported') unsupported.push({ user: u.name, scheme: /^\$[^$]+\$/.exec(u.secret)?.[0] ?? 'DES' });
  }
  // crypt(3) is slow by design (5,000 SHA rounds): remember the last answers.
  const memo = new Map<string, boolean>();
  return {
    name: section.name?.value ?? '',
    users,
    unsupported,
    check(user, pass) {
      const u = users.get(user);
      if (!u) return false;
      if (u.insecure) return u.secret === pass;
      const key = `${user}\u0000${pass}`;
      let ok = memo.get(key);
      if (ok === undefined) {
        ok = verifyCrypt(pass, u.secret) === true;
        if (memo.size < 1024) memo.set(key, ok);
      }
      return ok;
    },
  };
}

/** The userlists of a model by name, each compiled on first use. */
export function userlistIndex(model: Model): (name: string) => Userlist | undefined {
  const compiled = new Map<string, Userlist>();
  return (name) => {
    let u = compiled.get(name);
    if (u) return u;
    const section = model.namedSections.get('userlist')?.find((s) => s.name?.value === name);
    if (!section) return undefined;
    compiled.set(name, (u = compileUserlist(section)));
    return u;
  };
}

/** User and password of a `Basic` Authorization value; undefined for another scheme or bad base64. */
export function basicCredentials(value: string | undefined): { user: string; pass: string } | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(value);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('latin1');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}
