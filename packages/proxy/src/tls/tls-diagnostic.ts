// Problems found while loading certificates and TLS settings, as the parser's Diagnostic (so
// `renderDiagnostic` prints them as `file:line:col: error[RUN6001]: …`). The process prints
// them before it opens any socket and refuses to start when one is an error.
import type { Diagnostic, Range, Statement, Word } from '@haplo/parser';

export const TLS_CODES = {
  /** A crt / crt-list / crt directory that cannot be turned into a certificate + key. */
  certificate: 'RUN6001',
  /** A CA or CRL file that cannot be read. */
  authority: 'RUN6002',
  /** A TLS setting Node cannot apply (SSLv3, a cipher string OpenSSL rejects…). */
  setting: 'RUN6003',
  /** Something haplo run serves differently (h2 in ALPN, a range with holes…). */
  notice: 'RUN6004',
} as const;

export type TlsCode = (typeof TLS_CODES)[keyof typeof TLS_CODES];

/** Where a problem points: the word (a `crt` argument…) or the whole statement, in its file. */
export interface TlsPlace {
  file: string;
  statement: Statement;
  word?: Word;
}

export function tlsDiagnostic(place: TlsPlace, severity: 'error' | 'warning', code: TlsCode, message: string): Diagnostic {
  const range: Range = place.word?.range ?? place.statement.keywordWords[0]?.range ?? place.statement.line.range;
  return { code, severity, file: place.file, range, message };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The word of an option written on a line (`ssl`), for flags, which the model keeps no word for. */
export function optionWord(statement: Statement, name: string): Word | undefined {
  return statement.args.find((w) => w.value === name);
}
