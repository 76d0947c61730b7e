// Editor requests arrive on half-typed text and stale positions: a handler that throws would
// show the user an error for what is just "no answer". This wraps a handler so an unexpected
// exception is logged and answered with the fallback. Deliberate refusals (ResponseError, e.g.
// "cannot rename a keyword") pass through.
import type { Connection } from 'vscode-languageserver';
import { ResponseError } from '../language-server-api.js';

export function guarded<P, R>(connection: Connection, name: string, fallback: R, handler: (params: P) => R): (params: P) => R {
  return (params: P) => {
    try {
      return handler(params);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`haplo: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}
