// Signature help: the argument shape of the keyword or action being written, with the argument
// under the cursor active; inside `fetch(…)`/`conv(…)` the fetch's or converter's argument list.
import { catalogue } from '@haplo/parser';
import type { SignatureHelp, SignatureHelpParams } from 'vscode-languageserver';
import { MarkupKind } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { cursorContext, type ArgOwner, type CursorContext } from '../cursor-context.js';
import { keywordShape, sampleShape, type Shape } from '../catalogue-text.js';
import type { Analysis } from '../workspace.js';

function help(shape: Shape, description: string, index: number, repeatLast: boolean): SignatureHelp | null {
  if (shape.params.length === 0) return null;
  let active = index;
  if (active >= shape.params.length) {
    if (!repeatLast) return null;
    active = shape.params.length - 1;
  }
  return {
    signatures: [{ label: shape.label, documentation: { kind: MarkupKind.Markdown, value: description }, parameters: shape.params.map((p) => ({ label: p })), activeParameter: active }],
    activeSignature: 0,
    activeParameter: active,
  };
}

function ownerHelp(owner: ArgOwner, index: number): SignatureHelp | null {
  const args = owner.spec.args ?? [];
  const name = owner.kind === 'keyword' ? owner.spec.name : `${owner.ruleSet} ${owner.spec.name}`;
  return help(keywordShape(name, args), owner.spec.description, index, !!args[args.length - 1]?.repeat);
}

/** Signature help for a classified cursor. */
export function signatureFor(ctx: CursorContext): SignatureHelp | null {
  const w = ctx.what;
  if (w.kind === 'argument') return ownerHelp(w.owner, w.index);
  if (w.kind === 'sample') {
    const at = w.sample;
    if (at.at === 'arg') {
      const spec = at.converter ? catalogue.getConverter(at.call) : catalogue.getFetch(at.call);
      if (spec) return help(sampleShape(spec.name, spec.args), spec.description, at.index, false);
      // An ACL keyword (`hdr_beg(`) takes the arguments of the fetch it stands for.
      const acl = at.converter ? undefined : catalogue.getAclKeyword(at.call);
      const fetch = acl && catalogue.getFetch(acl.fetch);
      return fetch && acl ? help(sampleShape(acl.name, fetch.args), acl.description, at.index, false) : null;
    }
    if (w.owner && w.index !== undefined) return ownerHelp(w.owner, w.index);
  }
  return null;
}

export function signatureHelpAt(analysis: Analysis, line: number, character: number): SignatureHelp | null {
  const ctx = cursorContext(analysis, { line, character });
  return ctx ? signatureFor(ctx) : null;
}

export const signatureHelpFeature: Feature = (connection, workspace) => {
  connection.onSignatureHelp(guarded(connection, 'signature help', null, (params: SignatureHelpParams) => {
    const analysis = workspace.analysis(params.textDocument.uri);
    return analysis ? signatureHelpAt(analysis, params.position.line, params.position.character) : null;
  }));
};
