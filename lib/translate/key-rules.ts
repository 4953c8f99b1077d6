/**
 * The shape of the key registry: for each Compose key pattern (`deploy.placement.constraints`,
 * `ports[].app_protocol`), the rule that carries it into Kubernetes and the fields it writes, or
 * why it cannot be carried. Each translation module declares the keys it translates next to the
 * code that does it; lib/translate/registry.ts gathers them, and explain, the untranslated-key
 * warnings and the README's support table all read from there.
 */

/** The objects a key of one service can end up in. */
export type ObjectRole =
  /** The Deployment, StatefulSet, DaemonSet, Job or CronJob. */
  | 'workload'
  /** The Service named after the Compose service. */
  | 'service'
  /** `<service>-published`: the NodePort or LoadBalancer Service of published ports. */
  | 'published'
  | 'ingress'
  /** Services of `container_name` and network aliases. */
  | 'names'
  /** Claims the service mounts (its own and shared ones). */
  | 'claims'
  /** `<service>-env` Secret (secret `environment` values). */
  | 'env'
  /** The ConfigMap and Secret of each env file, shared by the services that use it. */
  | 'envFiles'
  /** ConfigMaps and Secrets of bind-mounted configuration files. */
  | 'files'
  /** Secrets and ConfigMaps of top-level `secrets`/`configs` the service mounts. */
  | 'mounted'
  /** NetworkPolicies of the service's networks. */
  | 'policies'
  /** ServiceAccount, Role, RoleBinding and API egress policy of the start-order waits. */
  | 'waits'
  | 'autoscaler'
  /** Top-level elements: the claim of a named volume, the Secret or ConfigMap of a secret or config, a network's policies. */
  | 'element';

/**
 * A field of one of those objects. Paths under the pod use `{pod}` for the pod spec and
 * `{pod-meta}` for the pod template's metadata, which sit at `spec.template` in most workloads
 * and at `spec.jobTemplate.spec.template` in a CronJob. `[]` means "in any item"; an empty path
 * means the object itself.
 */
export interface FieldRef {
  readonly object: ObjectRole;
  readonly path: string;
}

export const container = (path: string): FieldRef => ({ object: 'workload', path: `{pod}.containers[0].${path}` });
export const pod = (path: string): FieldRef => ({ object: 'workload', path: `{pod}.${path}` });
export const podMeta = (path: string): FieldRef => ({ object: 'workload', path: `{pod-meta}.${path}` });
export const workload = (path: string): FieldRef => ({ object: 'workload', path });
export const on = (object: ObjectRole, path = ''): FieldRef => ({ object, path });

export type KeyRule =
  /**
   * Carried into the fields named. `unless` explains values that rightly write nothing (`false`,
   * an empty list: the Kubernetes default is the same); any other value that writes none of the
   * fields is reported as lost, never shown as translated.
   */
  | {
      readonly rule: 'translated';
      readonly writes: readonly FieldRef[];
      readonly unless?: (value: unknown) => string | undefined;
      /** What it becomes, for the README's table when the fields alone do not say it. */
      readonly doc?: string;
    }
  /** No Kubernetes field can say it: reported with the reason, unless the value asks for nothing (`init: false`). */
  | { readonly rule: 'dropped'; readonly reason: string; readonly unless?: (value: unknown) => string | undefined }
  /** Used while loading the files (extends, profiles, include, label_file...): nothing to write. */
  | { readonly rule: 'loader'; readonly note: string }
  /**
   * Carried into a file written beside the manifests rather than into an object: the image build
   * of load-images.sh (`build.target`), the kind cluster's port mappings (`ports[].host_ip`).
   */
  | { readonly rule: 'stack-file'; readonly file: StackFile; readonly note: string }
  /** Translated by the rule of the key above it, whose row accounts for it (`ports[].target` by `ports`). */
  | { readonly rule: 'part' }
  /** A mapping whose keys each have a rule of their own (`deploy`, `deploy.resources`). */
  | { readonly rule: 'group' };

/** Files of the stack directory that carry keys (lib/targets/files.ts writes them). */
export type StackFile = 'load-images.sh' | 'kind-cluster.yaml';

export type KeyRules = Readonly<Record<string, KeyRule>>;

export const translated = (
  writes: FieldRef | readonly FieldRef[],
  options: { readonly unless?: (value: unknown) => string | undefined; readonly doc?: string } = {},
): KeyRule => ({ rule: 'translated', writes: Array.isArray(writes) ? writes : [writes as FieldRef], ...options });
export const noEquivalent = (
  reason: string,
  options: { readonly unless?: (value: unknown) => string | undefined } = {},
): KeyRule => ({ rule: 'dropped', reason, ...options });
export const loader = (note: string): KeyRule => ({ rule: 'loader', note });
export const stackFile = (file: StackFile, note: string): KeyRule => ({ rule: 'stack-file', file, note });
export const part: KeyRule = { rule: 'part' };
export const group: KeyRule = { rule: 'group' };

/** The same rule for several patterns: `each(['a', 'b'], part)`. */
export const each = (patterns: readonly string[], rule: KeyRule): Record<string, KeyRule> =>
  Object.fromEntries(patterns.map((p) => [p, rule]));

/** `unless` for booleans whose `false` is the Kubernetes default. */
export const falseIsDefault = (value: unknown): string | undefined =>
  value === false || value === 'false' ? 'false: the Kubernetes default, nothing to write' : undefined;

/** `unless` for lists and mappings that may be written empty. */
export const emptyIsNothing = (value: unknown): string | undefined =>
  (Array.isArray(value) && value.length === 0) ||
  value === null ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
    ? 'empty: nothing to translate'
    : undefined;

export const anyOf =
  (...checks: ((value: unknown) => string | undefined)[]) =>
  (value: unknown): string | undefined => {
    for (const check of checks) {
      const why = check(value);
      if (why) return why;
    }
    return undefined;
  };
