// How catalogue entries read in the editor: argument shapes (`timeout client <timeout>`,
// `req.hdr([<string>[,<integer>]])`), placements and phases. Completion details, hovers and
// signature help all print the same text from here.
import { catalogue, type SectionKind } from '@haplo/parser';

type ArgSpec = catalogue.ArgSpec;
type SampleArgSpec = catalogue.SampleArgSpec;

/** One argument as written in a shape: `<name>`, `[<name>]`, `[<name>...]`, a literal word, or the enum values. */
export function argLabel(arg: ArgSpec): string {
  let core: string;
  if (arg.type === 'enum' && arg.values?.length === 1) core = arg.values[0]!;
  else if (arg.type === 'enum' && arg.values && arg.values.length <= 6) core = arg.values.join('|');
  else core = `<${arg.name}>`;
  if (arg.repeat) core += ' ...';
  return arg.optional ? `[${core}]` : core;
}

/** The parameters of a shape with their label offsets, for signature help. */
export interface Shape {
  label: string;
  params: [number, number][];
}

export function keywordShape(name: string, args: readonly ArgSpec[] | undefined): Shape {
  let label = name;
  const params: [number, number][] = [];
  for (const a of args ?? []) {
    const text = argLabel(a);
    label += ' ';
    params.push([label.length, label.length + text.length]);
    label += text;
  }
  return { label, params };
}

const SAMPLE_ARG_NAMES: Record<string, string> = { 'user list': 'userlist', 'IPv4 mask': 'ipv4-mask', 'IPv6 mask': 'ipv6-mask', 'IPv4 address': 'ipv4', 'IPv6 address': 'ipv6', 'Protocol buffers field number': 'field' };

function sampleArgName(a: SampleArgSpec): string {
  return SAMPLE_ARG_NAMES[a.type] ?? a.type;
}

/** `req.hdr(<string>,<integer>)` with optional arguments in brackets; no parentheses without arguments. */
export function sampleShape(name: string, args: readonly SampleArgSpec[]): Shape {
  if (args.length === 0) return { label: name, params: [] };
  let label = `${name}(`;
  const params: [number, number][] = [];
  args.forEach((a, i) => {
    if (i > 0) label += ',';
    const text = a.optional ? `[<${sampleArgName(a)}>]` : `<${sampleArgName(a)}>`;
    params.push([label.length, label.length + text.length]);
    label += text;
  });
  return { label: label + ')', params };
}

export function fetchDetail(f: catalogue.FetchSpec): string {
  return `${sampleShape(f.name, f.args).label} → ${f.output}`;
}

export function converterDetail(c: catalogue.ConverterSpec): string {
  return `${c.input} → ${sampleShape(c.name, c.args).label} → ${c.output}`;
}

/** Where a keyword may be written: `defaults, frontend, listen` or the non-proxy sections. */
export function placementText(spec: catalogue.KeywordSpec): string {
  const where: string[] = [];
  const p = spec.proxy;
  if (p) {
    if (p.defaults === 'yes') where.push('defaults');
    if (p.defaults === 'named') where.push('named defaults');
    if (p.frontend) where.push('frontend');
    if (p.listen) where.push('listen');
    if (p.backend) where.push('backend');
  }
  for (const s of spec.sections ?? []) where.push(s);
  return where.join(', ');
}

/** True when the catalogue row is no longer accepted by 2.6 (`until` is exclusive). */
export function removedBefore26(spec: catalogue.Versioned): boolean {
  if (!spec.until) return false;
  const [maj = 0, min = 0] = spec.until.split('.').map(Number);
  return maj < 2 || (maj === 2 && min <= 6);
}

/** Whether a proxy keyword may be written in this kind of section. */
export function placedIn(spec: catalogue.KeywordSpec, kind: SectionKind, namedDefaults: boolean): boolean {
  const p = spec.proxy;
  if (kind !== 'defaults' && kind !== 'frontend' && kind !== 'backend' && kind !== 'listen') return spec.sections?.includes(kind) ?? false;
  if (!p) return false;
  if (kind === 'defaults') return p.defaults === 'yes' || (p.defaults === 'named' && namedDefaults);
  return p[kind];
}

/** `fe-http-request` … as one readable line. */
export function phasesText(f: catalogue.FetchSpec): string {
  return f.phases.join(', ');
}
