// The names a certificate answers to in SNI selection, as HAProxy collects them: every DNS
// entry of subjectAltName, then every CN of the subject, lower-cased. `*.example.org` entries
// are wildcards (one label).
import type { X509Certificate } from 'node:crypto';

export function certificateNames(cert: X509Certificate): string[] {
  const names: string[] = [];
  for (const entry of splitList(cert.subjectAltName ?? '')) {
    if (entry.startsWith('DNS:')) names.push(unquote(entry.slice(4)));
  }
  for (const line of cert.subject.split('\n')) {
    if (line.startsWith('CN=')) names.push(unquote(line.slice(3)));
  }
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

/** Node writes `DNS:a, DNS:"b,c"`: split on the commas outside quotes. */
function splitList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}
