// HAProxy's server lookup structures, reimplemented from their documented behaviour in
// lb_fwrr.c (roundrobin), lb_map.c (static-rr and map-based hashing), lb_chash.c (consistent
// hashing, random), lb_fwlc.c (leastconn) and lb_fas.c (first). Each keeps an active and a
// backup group; only the first usable backup serves unless `option allbackups`.
import { fullHash } from '../converters/hashes.js';
import { hasRoom, lbUsable, type ServerState } from '../runtime/servers.js';

export type LookupKind = 'fwrr' | 'map' | 'chash' | 'fwlc' | 'fas';

export interface Balancer {
  kind: LookupKind;
  /** The next server in the algorithm's own order (also the fallback when a hash input is missing). */
  next(): ServerState | undefined;
  /** The server for a 32-bit hash (map and chash only). */
  byHash(hash: number): ServerState | undefined;
  /** Usable servers counted by the lookup (tot_used): hashing is skipped when it is 1. */
  used(): number;
  /** Total effective weight of the serving group (tot_weight); 0 means no server. */
  totalWeight(): number;
  /** Must be called after a server's status or weight changed. */
  update(s: ServerState): void;
  /** Must be called after a server's connection count changed. */
  connectionsChanged(s: ServerState): void;
}

const EWGHT_MAX = 256 * 16;
const UWGHT_RANGE = 256;
const SCALE = 16;

/** Active/backup bookkeeping shared by every lookup (recount_servers + update_backend_weight). */
function groups(servers: readonly ServerState[], allbackups: boolean, eweight: (s: ServerState) => number) {
  let act = 0, bck = 0, wact = 0, wbck = 0;
  let fbck: ServerState | undefined;
  for (const s of servers) {
    if (!lbUsable(s)) continue;
    if (s.backup) {
      if (!bck && !allbackups) fbck = s;
      bck++;
      wbck += eweight(s);
    } else {
      act++;
      wact += eweight(s);
    }
  }
  const totWeight = act ? wact : fbck ? eweight(fbck) : wbck;
  const totUsed = act ? act : fbck ? 1 : bck;
  return { act, bck, fbck, totWeight, totUsed };
}

// ---- a small ordered tree: sorted by key, equal keys in insertion order (as ebtree dups) ----

interface Node<T> { key: number; item: T }
class Ordered<T> {
  nodes: Node<T>[] = [];
  insert(n: Node<T>): void {
    let lo = 0, hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.nodes[mid]!.key <= n.key) lo = mid + 1;
      else hi = mid;
    }
    // Shifted by hand: splice returns an array, and this runs on every round-robin pick.
    const nodes = this.nodes;
    for (let i = nodes.length; i > lo; i--) nodes[i] = nodes[i - 1]!;
    nodes[lo] = n;
  }
  remove(n: Node<T>): boolean {
    const i = this.nodes.indexOf(n);
    if (i < 0) return false;
    const nodes = this.nodes;
    for (let j = i + 1; j < nodes.length; j++) nodes[j - 1] = nodes[j]!;
    nodes.length--;
    return true;
  }
  first(): Node<T> | undefined { return this.nodes[0]; }
  has(n: Node<T>): boolean { return this.nodes.includes(n); }
}

// ---- roundrobin: fast weighted round robin (lb_fwrr.c) ---------------------------------------

interface RrSrv {
  s: ServerState;
  node: Node<RrSrv>;
  tree: Ordered<RrSrv> | null;
  npos: number;
  lpos: number;
  rweight: number;
  cur: number; // cur_eweight
  next: number; // next_eweight
  wasUsable: boolean;
}
interface RrGroup {
  curr: Ordered<RrSrv>;
  init: Ordered<RrSrv>;
  nextTree: Ordered<RrSrv>;
  currPos: number;
  currWeight: number;
  nextWeight: number;
}

export function createFwrr(servers: readonly ServerState[], allbackups: boolean): Balancer {
  const ew = (s: ServerState) => (lbUsable(s) ? s.weight * SCALE : 0);
  const rs = new Map<ServerState, RrSrv>();
  for (const s of servers) {
    const r: RrSrv = { s, node: undefined as unknown as Node<RrSrv>, tree: null, npos: 0, lpos: 0, rweight: 0, cur: s.weight * SCALE, next: s.weight * SCALE, wasUsable: lbUsable(s) };
    r.node = { key: 0, item: r };
    rs.set(s, r);
  }
  let g = groups(servers, allbackups, ew);
  const mk = (w: number): RrGroup => ({ curr: new Ordered(), init: new Ordered(), nextTree: new Ordered(), currPos: w, currWeight: w, nextWeight: w });
  const wsum = (backup: boolean) => servers.filter((s) => s.backup === backup && lbUsable(s)).reduce((a, s) => a + ew(s), 0);
  const act = mk(wsum(false));
  const bck = mk(wsum(true));
  const grpOf = (r: RrSrv) => (r.s.backup ? bck : act);

  const queueByWeight = (tree: Ordered<RrSrv>, r: RrSrv) => {
    r.node.key = EWGHT_MAX - r.next;
    tree.insert(r.node);
    r.tree = tree;
  };
  const dequeue = (r: RrSrv) => { r.tree?.remove(r.node); };
  const queue = (r: RrSrv) => {
    const grp = grpOf(r);
    if (!lbUsable(r.s)) r.tree = null;
    else if (r.next <= 0 || r.npos >= 2 * grp.currWeight || r.npos >= grp.currWeight + grp.nextWeight) {
      r.npos -= grp.currWeight;
      queueByWeight(grp.nextTree, r);
    } else {
      r.node.key = UWGHT_RANGE * r.npos + Math.floor((EWGHT_MAX + r.rweight - r.next) / SCALE);
      grp.curr.insert(r.node);
      r.tree = grp.curr;
    }
  };
  const getSrv = (r: RrSrv) => {
    const grp = grpOf(r);
    if (r.tree === grp.init) { r.npos = 0; r.rweight = 0; }
    else if (r.tree === grp.nextTree) r.npos += grp.currWeight;
    else if (r.tree === null) r.npos = grp.currPos;
  };
  const switchTrees = (grp: RrGroup) => {
    const swap = grp.init;
    grp.init = grp.nextTree;
    grp.nextTree = swap;
    grp.currWeight = grp.nextWeight;
    grp.currPos = grp.currWeight;
  };
  const fromGroup = (grp: RrGroup): RrSrv | undefined => {
    const n1 = grp.curr.first();
    const s1 = n1?.item;
    if (s1 && s1.cur && s1.npos <= grp.currPos) return s1;
    const n2 = grp.init.first();
    if (n2 && n2.item.cur) {
      n2.item.npos = 0;
      n2.item.rweight = 0;
      return n2.item;
    }
    return s1;
  };
  const updatePosition = (grp: RrGroup, r: RrSrv) => {
    const e = r.cur;
    if (!e) return;
    if (!r.npos) r.npos = grp.currPos;
    r.lpos = r.npos;
    r.npos += Math.floor(grp.nextWeight / e);
    r.rweight += grp.nextWeight % e;
    if (r.rweight >= e) { r.rweight -= e; r.npos++; }
  };

  for (const s of servers) if (lbUsable(s)) queueByWeight(grpOf(rs.get(s)!).init, rs.get(s)!);

  const setDown = (r: RrSrv) => {
    const grp = grpOf(r);
    grp.nextWeight -= r.cur;
    dequeue(r);
    r.tree = null;
  };
  const setUp = (r: RrSrv) => {
    const grp = grpOf(r);
    grp.nextWeight += r.next;
    getSrv(r);
    r.npos = grp.currPos + Math.floor((grp.nextWeight + grp.currWeight - grp.currPos) / r.next);
    queue(r);
  };

  return {
    kind: 'fwrr',
    used: () => g.totUsed,
    totalWeight: () => g.totWeight,
    byHash: () => undefined,
    connectionsChanged: () => {},
    update(s) {
      const r = rs.get(s)!;
      const now = lbUsable(s);
      r.next = now ? s.weight * SCALE : 0;
      if (!r.wasUsable && now) setUp(r);
      else if (r.wasUsable && !now) setDown(r);
      else if (now && r.next !== r.cur) {
        const grp = grpOf(r);
        grp.nextWeight = grp.nextWeight - r.cur + r.next;
        if (r.tree === grp.init) {
          dequeue(r);
          queueByWeight(grp.init, r);
        } else if (!r.tree) {
          getSrv(r);
          r.npos = grp.currPos + Math.floor((grp.nextWeight + grp.currWeight - grp.currPos) / r.next);
          queue(r);
        } else {
          getSrv(r);
          const prevNext = r.npos;
          const step = Math.floor(grp.nextWeight / r.next);
          r.npos = r.lpos + step;
          r.rweight = 0;
          if (r.npos > prevNext) r.npos = prevNext;
          if (r.npos < grp.currPos + 2) r.npos = grp.currPos + step;
          dequeue(r);
          queue(r);
        }
      }
      r.cur = r.next;
      r.wasUsable = now;
      g = groups(servers, allbackups, ew);
    },
    next() {
      let grp: RrGroup;
      if (g.act) grp = act;
      else if (g.fbck) return g.fbck;
      else if (g.bck) grp = bck;
      else return undefined;
      let switched = false;
      const full: RrSrv[] = [];
      let srv: RrSrv | undefined;
      for (;;) {
        if (!grp.currWeight) grp.currPos = grp.currWeight = grp.nextWeight;
        for (;;) {
          srv = fromGroup(grp);
          if (srv) break;
          if (switched) { srv = undefined; break; }
          switched = true;
          switchTrees(grp);
        }
        if (!srv) break;
        updatePosition(grp, srv);
        dequeue(srv);
        grp.currPos++;
        if (hasRoom(srv.s)) break;
        full.push(srv);
        srv = undefined;
      }
      if (srv) queue(srv);
      for (const f of full) {
        if (switched) queueByWeight(grp.init, f);
        else queue(f);
      }
      return srv?.s;
    },
  };
}

// ---- static-rr and map-based hashing (lb_map.c) ---------------------------------------------

export function createMap(servers: readonly ServerState[], allbackups: boolean): Balancer {
  let gcd = 1;
  const nonZero = servers.filter((s) => s.initialWeight > 0);
  if (nonZero.length) {
    gcd = nonZero[0]!.initialWeight;
    for (const s of nonZero.slice(1)) {
      let a = gcd, b = s.initialWeight;
      while (b) [a, b] = [b, a % b];
      gcd = a;
      if (gcd === 1) break;
    }
  }
  const ew = (s: ServerState) => (lbUsable(s) ? Math.ceil(s.weight / gcd) : 0);
  let g = groups(servers, allbackups, ew);
  let map: ServerState[] = [];
  let rrIdx = 0;
  const recalc = () => {
    g = groups(servers, allbackups, ew);
    if (g.totUsed === 0) return;
    const tot = g.totWeight;
    const backup = g.act === 0;
    const score = new Map<ServerState, number>();
    map = [];
    for (let o = 0; o < tot; o++) {
      let max = 0;
      let best: ServerState | undefined;
      for (const s of servers) {
        if (s.backup !== backup || !lbUsable(s)) continue;
        if (tot === 1) { best = s; break; }
        const w = (score.get(s) ?? 0) + ew(s);
        score.set(s, w);
        const v = Math.trunc((w + tot) / tot);
        if (!best || v > max) { max = v; best = s; }
      }
      map.push(best!);
      if (best && tot !== 1) score.set(best, score.get(best)! - tot);
    }
  };
  recalc();
  return {
    kind: 'map',
    used: () => g.totUsed,
    totalWeight: () => g.totWeight,
    update: recalc,
    connectionsChanged: () => {},
    byHash: (h) => (g.totWeight ? map[(h >>> 0) % g.totWeight] : undefined),
    next() {
      const tot = g.totWeight;
      if (!tot) return undefined;
      if (rrIdx < 0 || rrIdx >= tot) rrIdx = 0;
      let idx = rrIdx;
      do {
        const s = map[idx++]!;
        if (hasRoom(s)) { rrIdx = idx; return s; }
        if (idx === tot) idx = 0;
      } while (idx !== rrIdx);
      return undefined;
    },
  };
}

// ---- consistent hashing and random (lb_chash.c) ----------------------------------------------

interface ChNode { key: number; item: ServerState; idx: number }

export function createChash(servers: readonly ServerState[], allbackups: boolean): Balancer {
  const ew = (s: ServerState) => (lbUsable(s) ? s.weight * SCALE : 0);
  let g = groups(servers, allbackups, ew);
  const act = new Ordered<ServerState>();
  const bck = new Ordered<ServerState>();
  const nodes = new Map<ServerState, ChNode[]>();
  const inTree = new Map<ServerState, number>();
  let last: ChNode | undefined;
  const treeOf = (s: ServerState) => (s.backup ? bck : act);
  const skip = (tree: Ordered<ServerState>, n: ChNode): ChNode | undefined => {
    const i = tree.nodes.indexOf(n);
    const nx = (tree.nodes[i + 1] ?? tree.nodes[0]) as ChNode | undefined;
    return nx === n ? undefined : nx;
  };
  const sync = (s: ServerState) => {
    const want = ew(s);
    let list = nodes.get(s) ?? [];
    if (list.length < want) {
      for (let j = list.length; j < want; j++) list.push({ key: fullHash((s.id * EWGHT_MAX + j) >>> 0), item: s, idx: j });
      nodes.set(s, list);
    }
    let now = inTree.get(s) ?? 0;
    const tree = treeOf(s);
    while (now > want) {
      now--;
      const n = list[now]!;
      if (last === n) last = skip(tree, n);
      tree.remove(n);
    }
    while (now < want && now < list.length) {
      const n = list[now]!;
      tree.insert(n);
      now++;
    }
    inTree.set(s, now);
  };
  for (const s of servers) sync(s);
  const root = (): Ordered<ServerState> | ServerState | undefined => (g.act ? act : g.fbck ? g.fbck : g.bck ? bck : undefined);
  return {
    kind: 'chash',
    used: () => g.totUsed,
    totalWeight: () => g.totWeight,
    update(s) {
      sync(s);
      g = groups(servers, allbackups, ew);
    },
    connectionsChanged: () => {},
    byHash(hash) {
      const r = root();
      if (!r || !(r instanceof Ordered)) return r;
      const ns = r.nodes;
      if (!ns.length) return undefined;
      const h = hash >>> 0;
      let lo = 0, hi = ns.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ns[mid]!.key < h) lo = mid + 1;
        else hi = mid;
      }
      const ni = lo < ns.length ? lo : 0;
      const pi = ni > 0 ? ni - 1 : ns.length - 1;
      const next = ns[ni]!, prev = ns[pi]!;
      const dp = (h - prev.key) >>> 0;
      const dn = (next.key - h) >>> 0;
      return dp <= dn ? prev.item : next.item;
    },
    next() {
      const r = root();
      if (!r || !(r instanceof Ordered)) return r;
      const ns = r.nodes as ChNode[];
      if (!ns.length) { last = undefined; return undefined; }
      let i = last ? ns.indexOf(last) : -1;
      const start = i;
      for (let n = 0; n < ns.length; n++) {
        i = i + 1 >= ns.length ? 0 : i + 1;
        last = ns[i];
        if (hasRoom(ns[i]!.item)) return ns[i]!.item;
        if (i === start) break;
      }
      return undefined;
    },
  };
}

// ---- leastconn (lb_fwlc.c) and first (lb_fas.c) ---------------------------------------------

function createTreeBalancer(kind: 'fwlc' | 'fas', servers: readonly ServerState[], allbackups: boolean): Balancer {
  const ew = (s: ServerState) => (lbUsable(s) ? s.weight * SCALE : 0);
  let g = groups(servers, allbackups, ew);
  const act = new Ordered<ServerState>();
  const bck = new Ordered<ServerState>();
  const node = new Map<ServerState, Node<ServerState>>();
  const keyOf = (s: ServerState) => {
    if (kind === 'fas') return s.id;
    const inflight = s.served;
    return inflight ? Math.floor(((inflight + 1) * EWGHT_MAX) / (ew(s) || 1)) : 0;
  };
  const place = (s: ServerState) => {
    const tree = s.backup ? bck : act;
    const n = node.get(s);
    if (n) tree.remove(n);
    node.delete(s);
    if (!lbUsable(s)) return;
    const m = { key: keyOf(s), item: s };
    node.set(s, m);
    tree.insert(m);
  };
  for (const s of servers) place(s);
  return {
    kind,
    used: () => g.totUsed,
    totalWeight: () => g.totWeight,
    byHash: () => undefined,
    update(s) {
      place(s);
      g = groups(servers, allbackups, ew);
    },
    connectionsChanged(s) {
      const n = node.get(s);
      if (!n || n.key === keyOf(s)) return;
      place(s);
    },
    next() {
      if (!g.act && g.fbck) return g.fbck;
      const tree = g.act ? act : g.bck ? bck : undefined;
      if (!tree) return undefined;
      for (const n of tree.nodes) if (hasRoom(n.item)) return n.item;
      return undefined;
    },
  };
}

export const createFwlc = (servers: readonly ServerState[], allbackups: boolean) => createTreeBalancer('fwlc', servers, allbackups);
export const createFas = (servers: readonly ServerState[], allbackups: boolean) => createTreeBalancer('fas', servers, allbackups);

export function createBalancer(kind: LookupKind, servers: readonly ServerState[], allbackups: boolean): Balancer {
  switch (kind) {
    case 'fwrr': return createFwrr(servers, allbackups);
    case 'map': return createMap(servers, allbackups);
    case 'chash': return createChash(servers, allbackups);
    case 'fwlc': return createFwlc(servers, allbackups);
    case 'fas': return createFas(servers, allbackups);
  }
}
