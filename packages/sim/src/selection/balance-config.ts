// A backend's `balance` and `hash-type` lines read into plain data: which lookup structure the
// algorithm uses (as cfgparse.c decides) and how hash inputs are hashed (backend.c gen_hash).
import type { ProxyModel, Statement } from '@haplo/parser';
import { crc32, djb2, sdbm, wt6 } from '../converters/hashes.js';
import type { LookupKind } from './balancers.js';

export type BalanceAlgorithm =
  | 'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'source' | 'uri' | 'url_param'
  | 'hdr' | 'random' | 'rdp-cookie' | 'hash';

export type HashFunction = 'sdbm' | 'djb2' | 'wt6' | 'crc32';

export interface BalanceConfig {
  algorithm: BalanceAlgorithm;
  lookup: LookupKind;
  hashType: 'map-based' | 'consistent';
  hashFunction: HashFunction;
  avalanche: boolean;
  /** uri: `whole`, `path-only`, `len`, `depth`. */
  uri: { whole: boolean; pathOnly: boolean; len: number; depth: number };
  /** url_param name, hdr name, rdp-cookie name. */
  param?: string;
  checkPost: boolean;
  useDomainOnly: boolean;
  /** random draws (default 2). */
  draws: number;
  /** The `balance` statement, for traces. */
  statement?: Statement;
  text: string;
}

const ALGORITHMS: ReadonlySet<string> = new Set(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random', 'rdp-cookie', 'hash']);

/** The `hash-type` statement in effect: the proxy's own, else its defaults'. */
function hashTypeStatement(p: ProxyModel | undefined): Statement | undefined {
  for (let q = p; q; q = q.defaults) {
    const own = [...q.statements].reverse().find((s) => s.keyword === 'hash-type');
    if (own) return own;
  }
  return undefined;
}

export function balanceConfig(p: ProxyModel): BalanceConfig {
  const b = p.balance?.value;
  const raw = b?.algorithm ?? 'roundrobin';
  const algorithm = (ALGORITHMS.has(raw) ? raw : 'roundrobin') as BalanceAlgorithm;
  const args = (b?.args ?? []).map((w) => w.value);
  const ht = hashTypeStatement(p)?.args.map((w) => w.value) ?? [];
  const hashType = ht[0] === 'consistent' ? 'consistent' : 'map-based';
  const hashFunction = (['sdbm', 'djb2', 'wt6', 'crc32'].includes(ht[1] ?? '') ? ht[1] : 'sdbm') as HashFunction;
  // `hash-type consistent` with no function named implies sdbm + avalanche (cfgparse-listen.c)
  const avalanche = ht.includes('avalanche') || (hashType === 'consistent' && ht.length === 1);
  const uri = { whole: false, pathOnly: false, len: 0, depth: 0 };
  if (algorithm === 'uri') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === 'whole') uri.whole = true;
      else if (a === 'path-only') uri.pathOnly = true;
      else if (a === 'len') uri.len = Number.parseInt(args[++i] ?? '0', 10) || 0;
      else if (a === 'depth') uri.depth = Number.parseInt(args[++i] ?? '0', 10) || 0;
    }
  }
  let param = b?.param;
  if (algorithm === 'url_param') param = args[0];
  if (algorithm === 'rdp-cookie' && !param) param = 'mstshash';
  let draws = 2;
  if (algorithm === 'random' && b?.param) draws = Math.max(1, Number.parseInt(b.param, 10) || 2);
  let lookup: LookupKind;
  switch (algorithm) {
    case 'roundrobin': lookup = 'fwrr'; break;
    case 'static-rr': lookup = 'map'; break;
    case 'leastconn': lookup = 'fwlc'; break;
    case 'first': lookup = 'fas'; break;
    case 'random': lookup = 'chash'; break;
    default: lookup = hashType === 'consistent' ? 'chash' : 'map';
  }
  const statement = p.balance?.statement;
  return {
    algorithm, lookup, hashType, hashFunction, avalanche, uri, param,
    checkPost: algorithm === 'url_param' && args[1] === 'check_post',
    useDomainOnly: algorithm === 'hdr' && args[0] === 'use_domain_only',
    draws, statement,
    text: statement ? [statement.keyword, ...statement.args.map((w) => w.value)].join(' ') : 'balance roundrobin (default)',
  };
}

const HASHES: Record<HashFunction, (b: Uint8Array) => number> = { sdbm, djb2, wt6, crc32 };

/** gen_hash: the configured hash function over bytes. */
export function genHash(cfg: BalanceConfig, bytes: Uint8Array): number {
  return HASHES[cfg.hashFunction](bytes) >>> 0;
}
