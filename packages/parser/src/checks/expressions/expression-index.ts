// The two lists the expression checks share, built together in one pass over the statements
// (each expression statement is read once for both): every sample expression with where it
// stands, and per proxy the ACL lines and the condition terms naming them.
import type { Model } from '../../model/types.js';
import { statementVisits } from '../statement-visits.js';
import { AclIndexBuilder, type ProxyAcls } from './acl-index.js';
import { collectSamples, inSection, type SampleVisit } from './walk.js';

interface ExpressionIndex {
  samples: readonly SampleVisit[];
  acls: ProxyAcls[];
}

const cache = new WeakMap<Model, ExpressionIndex>();

function expressionIndex(model: Model): ExpressionIndex {
  let index = cache.get(model);
  if (!index) {
    const samples: SampleVisit[] = [];
    const acls = new AclIndexBuilder(model);
    const visits = statementVisits(model);
    for (let i = 0; i < visits.length; i++) {
      const v = visits[i]!;
      acls.visit(v, i);
      if (v.hasExpressions && inSection(v)) collectSamples(v, samples);
    }
    cache.set(model, (index = { samples, acls: acls.finish() }));
  }
  return index;
}

/** Every sample expression of the configuration, in load order. */
export function sampleVisits(model: Model): readonly SampleVisit[] {
  return expressionIndex(model).samples;
}

/** Per proxy (defaults first, then frontends, backends and listens in order): its ACL lines and uses. */
export function aclIndex(model: Model): ProxyAcls[] {
  return expressionIndex(model).acls;
}
