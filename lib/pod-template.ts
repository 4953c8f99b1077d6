/**
 * Where a workload keeps its pod template, for everything that reads synthesized objects back
 * (the target scripts, the diagram, the Helm templates, the validator): a CronJob holds it one
 * level deeper, in its Job template, which a reader of `spec.template` alone misses.
 */

type Json = Record<string, unknown>;

const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** `spec.template`, `spec.jobTemplate.spec.template`; undefined for kinds without pods. */
export function podTemplatePath(kind: unknown): string | undefined {
  return typeof kind === 'string' && kind in TEMPLATE_PATHS ? TEMPLATE_PATHS[kind].join('.') : undefined;
}

/** The pod template of a workload object, or undefined (not a workload, or none written). */
export function podTemplateOf(object: unknown): Json | undefined {
  if (object === null || typeof object !== 'object') return undefined;
  const kind = (object as Json).kind;
  if (typeof kind !== 'string' || !(kind in TEMPLATE_PATHS)) return undefined;
  let at: unknown = object;
  for (const key of TEMPLATE_PATHS[kind]) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Json)[key];
  }
  return at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Json) : undefined;
}
