/**
 * What an API server refuses that the schema allows, kind by kind, from Kubernetes' own
 * validation code (pkg/apis/<group>/validation) as the reference: the rules live in rules/, one
 * module per kind or part of a pod; here each object goes to its kind's rules, and what a set of
 * objects shares (NodePorts, object identities) is tracked across them.
 */
import { podTemplateOf, podTemplatePath } from '../pod-template';
import { record, text, type ManifestProblem } from './problems';
import { checkAutoscaler } from './rules/autoscaling';
import { checkConfigMap, checkSecret } from './rules/config';
import type { Emit } from './rules/emit';
import { portName } from './rules/grammar';
import { checkMetadata } from './rules/meta';
import { checkIngress, checkNetworkPolicy } from './rules/networking';
import { checkPodSpec } from './rules/pod';
import { checkBinding, checkRole } from './rules/rbac';
import { checkService, type NodePorts } from './rules/service';
import { checkClaimSpec } from './rules/storage';
import { checkWorkload } from './rules/workloads';

export function isIanaServiceName(name: string): boolean {
  return portName(name) === undefined;
}

export interface CheckContext {
  readonly nodePorts: NodePorts;
  readonly seen: Set<string>;
}

export function newCheckContext(): CheckContext {
  return { nodePorts: new Map(), seen: new Set() };
}

type Json = Record<string, unknown>;

/** The rules of each kind beyond its metadata; workloads are dispatched by their pod template. */
const KIND_RULES: Readonly<Record<string, (o: Json, emit: Emit, ctx: CheckContext) => void>> = {
  Pod: (o, emit) => checkPodSpec(o, '', emit),
  Service: (o, emit, ctx) => checkService(o, emit, ctx.nodePorts),
  ConfigMap: (o, emit) => checkConfigMap(o, emit),
  Secret: (o, emit) => checkSecret(o, emit),
  PersistentVolumeClaim: (o, emit) => checkClaimSpec(record(o.spec), 'spec', emit),
  Ingress: (o, emit) => checkIngress(o, emit),
  NetworkPolicy: (o, emit) => checkNetworkPolicy(o, emit),
  HorizontalPodAutoscaler: (o, emit) => checkAutoscaler(o, emit),
  Role: (o, emit) => checkRole(o, true, emit),
  ClusterRole: (o, emit) => checkRole(o, false, emit),
  RoleBinding: (o, emit) => checkBinding(o, true, emit),
  ClusterRoleBinding: (o, emit) => checkBinding(o, false, emit),
};

export function checkObject(object: unknown, ctx: CheckContext): Omit<ManifestProblem, 'file'>[] {
  const o = record(object);
  const kind = text(o.kind) ?? '';
  const metadata = record(o.metadata);
  const name = text(metadata.name);
  const problems: Omit<ManifestProblem, 'file'>[] = [];
  const emit: Emit = (path, message, severity = 'error') => problems.push({ severity, kind, name, path, message });
  checkMetadata(kind, o, emit);
  const group = (text(o.apiVersion) ?? '').split('/').slice(0, -1).join('/');
  const id = `${group}/${kind}/${text(metadata.namespace) ?? ''}/${name ?? ''}`;
  if (ctx.seen.has(id)) emit('metadata.name', `duplicate object: another ${kind} is named "${name}"`);
  ctx.seen.add(id);
  const templatePath = podTemplatePath(kind);
  // A workload without its template is checked as one with an empty template: that is reported.
  if (templatePath) checkWorkload(kind, o, templatePath, record(podTemplateOf(o)), emit);
  KIND_RULES[kind]?.(o, emit, ctx);
  return problems;
}
