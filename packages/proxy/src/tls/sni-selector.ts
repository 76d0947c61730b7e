// Picking the certificate for a ClientHello's server name, as HAProxy 2.6 does
// (ssl_sock_switchctx_cbk): the name is lower-cased; an exact name wins, else a wildcard
// `*.rest` matches when the name's first label is followed by `.rest` (one label only); among
// certificates with the same name the first loaded wins. A crt-list line's SNI filters replace
// the certificate's own names; `!name` on a line stops that line's wildcards from matching
// `name` (and `!*` alone keeps a certificate out of SNI selection). Nothing matches: the first
// certificate of the bind line, unless `strict-sni`, which ends the handshake.
export interface SniCandidate<T> {
  value: T;
  /** The certificate's names (SAN DNS, then CN), used when `filters` is empty. */
  names: readonly string[];
  /** crt-list SNI filters, as written. */
  filters: readonly string[];
}

interface Entry<T> {
  value: T;
  exact: Set<string>;
  wild: Set<string>;
  negative: Set<string>;
}

export class SniSelector<T> {
  private readonly entries: Entry<T>[] = [];

  add(c: SniCandidate<T>): void {
    const entry: Entry<T> = { value: c.value, exact: new Set(), wild: new Set(), negative: new Set() };
    for (const raw of c.filters.length ? c.filters : c.names) {
      let name = raw.toLowerCase();
      let negative = false;
      if (name.startsWith('!')) {
        negative = true;
        name = name.slice(1);
      }
      const wild = name.startsWith('*');
      if (wild) name = name.slice(1);
      if (negative && wild) continue; // `!*` only means "not the certificate's own names"
      if (name === '') continue;
      if (negative) entry.negative.add(name);
      else if (wild) entry.wild.add(name);
      else entry.exact.add(name);
    }
    this.entries.push(entry);
  }

  /** The certificate for `servername`, or undefined when none matches (use the default). */
  select(servername: string): T | undefined {
    const name = servername.toLowerCase();
    for (const e of this.entries) if (e.exact.has(name)) return e.value;
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    const rest = name.slice(dot);
    for (const e of this.entries) if (e.wild.has(rest) && !e.negative.has(name)) return e.value;
    return undefined;
  }
}
