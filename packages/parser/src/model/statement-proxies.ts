// `model.proxyOf`: each statement's proxy, as a read-only map built on first use.
//
// Why lazy: a 100,000-line configuration has ~90,000 proxy statements, and a Map holding them all
// is a few megabytes that the garbage collector copies while the model is built — yet the checks
// never ask it (they have statement-visits) and the language server asks it once in a while. The
// statements are already listed by their proxies, so the map is derived from them when asked.
import type { Statement } from '../ast/nodes.js';
import type { ProxyModel } from './types.js';

export class StatementProxies implements ReadonlyMap<Statement, ProxyModel> {
  private map: Map<Statement, ProxyModel> | undefined = undefined;

  /** `proxies`: every proxy and defaults section, in load order (the list is read on first use). */
  constructor(private readonly proxies: readonly ProxyModel[]) {}

  private built(): Map<Statement, ProxyModel> {
    if (!this.map) {
      const map = new Map<Statement, ProxyModel>();
      for (const p of this.proxies) for (const stmt of p.statements) map.set(stmt, p);
      this.map = map;
    }
    return this.map;
  }

  get(stmt: Statement): ProxyModel | undefined {
    return this.built().get(stmt);
  }

  has(stmt: Statement): boolean {
    return this.built().has(stmt);
  }

  get size(): number {
    return this.built().size;
  }

  forEach(fn: (value: ProxyModel, key: Statement, map: ReadonlyMap<Statement, ProxyModel>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.built()) fn.call(thisArg, v, k, this);
  }

  entries(): MapIterator<[Statement, ProxyModel]> {
    return this.built().entries();
  }

  keys(): MapIterator<Statement> {
    return this.built().keys();
  }

  values(): MapIterator<ProxyModel> {
    return this.built().values();
  }

  [Symbol.iterator](): MapIterator<[Statement, ProxyModel]> {
    return this.built()[Symbol.iterator]();
  }
}
