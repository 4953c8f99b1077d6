/**
 * The key registry: every key of the Compose specification (lib/compose/generated/compose-keys.ts,
 * from the bundled schema) with its rule, gathered from the modules that translate them. explain,
 * the warnings about untranslated keys and the README's support table read from here, and a test
 * fails when the schema has a key without a rule, so a new Compose key cannot pass unnoticed.
 */
import { isRecord } from '../compose/merge';
import { BUILD_KEYS } from './build';
import { CONTAINER_KEYS } from './container';
import { DEPLOY_KEYS } from './deploy';
import { NAME_KEYS } from './dns-names';
import { ENVIRONMENT_KEYS } from './environment';
import { GPU_KEYS } from './gpus';
import { HEALTHCHECK_KEYS } from './health';
import { HOOK_KEYS } from './hooks';
import { isKomposeLabel } from './kompose-labels';
import {
  container,
  each,
  emptyIsNothing,
  group,
  loader,
  noEquivalent,
  on,
  part,
  podMeta,
  translated,
  type KeyRule,
  type KeyRules,
} from './key-rules';
import { NETWORK_DEFINITION_KEYS, NETWORK_KEYS } from './networks';
import { PLACEMENT_KEYS } from './placement';
import { PORT_KEYS } from './ports';
import { RESOURCE_KEYS } from './resources';
import { ROLLOUT_KEYS } from './rollout';
import { START_ORDER_KEYS } from './start-order';
import { UNTRANSLATED_KEYS } from './untranslated';
import { VOLUME_KEYS } from './volumes';
import { WORKLOAD_KEYS } from './workload';

/** Keys the loader uses up, and the service's own metadata. */
const SERVICE_METADATA_KEYS: KeyRules = {
  labels: translated(podMeta('annotations'), {
    unless: (v) =>
      emptyIsNothing(v) ??
      (labelNames(v).every(isKomposeLabel) ? 'kompose labels only: each has a row of its own' : undefined),
    doc: "pod annotations, except kompose labels, which steer the conversion, and keys Kubernetes refuses as annotation keys (reported); Traefik's routing labels also become an Ingress; those of other Docker-aware tools (Caddy, Watchtower...) are reported",
  }),
  annotations: translated(podMeta('annotations'), {
    unless: emptyIsNothing,
    doc: 'pod annotations, except keys Kubernetes refuses as annotation keys (reported)',
  }),
  profiles: loader('applied while loading: the service is in the output because one of its profiles is enabled'),
  extends: loader('applied while loading: the keys it inherits are listed with the others'),
  ...each(['extends.file', 'extends.service'], part),
  label_file: loader('read while loading: its labels are listed under labels'),
  'x-k8s': translated(
    [
      on('ingress', 'spec.rules'),
      on('claims', 'spec'),
      container('livenessProbe'),
      container('env'),
      on('env', 'data'),
    ],
    {
      unless: (v) =>
        isRecord(v) && Object.keys(v).every((k) => k === 'liveness')
          ? 'liveness only: decides whether the healthcheck restarts the container'
          : undefined,
      doc: 'Ingress routes, claim sizes and classes, liveness, which variables are secret (see The x-k8s extension)',
    },
  ),
};

function labelNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((l) => String(l).split('=')[0]);
  return isRecord(value) ? Object.keys(value) : [];
}

/** Top-level `secrets` and `configs`: a Secret or ConfigMap each, created from the file, variable or content. */
const FILE_DEFINITION_KEYS: KeyRules = Object.fromEntries(
  (['secrets', 'configs'] as const).flatMap((kind) => [
    [kind, group],
    [`${kind}.*`, translated(on('element', 'data'))],
    ...[`${kind}.*.file`, `${kind}.*.environment`, `${kind}.*.external`, `${kind}.*.external.name`].map((p) => [
      p,
      part,
    ]),
    ...(kind === 'configs' ? [[`${kind}.*.content`, part]] : []),
    [
      `${kind}.*.name`,
      loader(
        `the name Docker knows the ${kind === 'secrets' ? 'secret' : 'config'} by: an external one is looked up by it; the project's own are named after their key, as docker compose mounts them`,
      ),
    ],
    [
      `${kind}.*.labels`,
      noEquivalent(
        `labels of the Docker ${kind === 'secrets' ? 'secret' : 'config'}: the object carries the stack labels`,
      ),
    ],
    [`${kind}.*.template_driver`, noEquivalent('templates are rendered by Swarm only: the content is used as written')],
    ...(kind === 'secrets'
      ? [
          [`${kind}.*.driver`, noEquivalent('secret drivers are Swarm plugins: the Secret holds the value')],
          [`${kind}.*.driver_opts`, noEquivalent('secret drivers are Swarm plugins: the Secret holds the value')],
        ]
      : []),
  ]),
);

const VOLUME_DEFINITION_KEYS: KeyRules = {
  volumes: group,
  'volumes.*': translated(
    [on('element', 'spec.resources.requests.storage'), on('element', 'spec.volumeClaimTemplates')],
    {
      doc: 'a PersistentVolumeClaim (volumeClaimTemplates of a StatefulSet)',
    },
  ),
  ...each(['volumes.*.name', 'volumes.*.external', 'volumes.*.external.name'], part),
  'volumes.*.driver': noEquivalent('the StorageClass decides the driver (x-k8s.storageClassName)', {
    unless: (v) => (v === 'local' ? "local: the cluster's default storage" : undefined),
  }),
  'volumes.*.driver_opts': noEquivalent("driver options are the StorageClass's (x-k8s.storageClassName)"),
  'volumes.*.labels': noEquivalent('labels of the Docker volume: the claim carries the stack labels', {
    unless: (v) =>
      labelNames(v).every((l) => l.startsWith('kompose.'))
        ? 'kompose labels: they size and select the claim'
        : undefined,
  }),
};

const PROJECT_KEYS: KeyRules = {
  name: loader('the project name: every object carries it as app.kubernetes.io/part-of'),
  version: loader('obsolete: ignored, as Compose ignores it'),
  include: loader('read while loading: the included services and resources are listed with the others'),
  ...each(['include[]', 'include[].path', 'include[].project_directory', 'include[].env_file'], part),
  services: group,
  models: group,
  'models.*': noEquivalent('Docker Model Runner pulls and serves it; the cluster has no model runner'),
  ...each(['models.*.model', 'models.*.name', 'models.*.context_size', 'models.*.runtime_flags'], part),
  'x-*': loader('an extension field: YAML anchors and other tools read it, compose-cdk8s does not'),
};

function gather(tables: readonly KeyRules[]): ReadonlyMap<string, KeyRule> {
  const out = new Map<string, KeyRule>();
  for (const table of tables) {
    for (const [pattern, rule] of Object.entries(table)) {
      if (out.has(pattern)) throw new Error(`compose-cdk8s: two rules for the Compose key ${pattern}`);
      out.set(pattern, rule);
    }
  }
  return out;
}

/** Rules of the keys under `services.<name>`, by pattern (`deploy.placement.constraints`). */
export const SERVICE_RULES = gather([
  CONTAINER_KEYS,
  BUILD_KEYS,
  PORT_KEYS,
  ENVIRONMENT_KEYS,
  VOLUME_KEYS,
  HEALTHCHECK_KEYS,
  HOOK_KEYS,
  START_ORDER_KEYS,
  NETWORK_KEYS,
  NAME_KEYS,
  RESOURCE_KEYS,
  GPU_KEYS,
  WORKLOAD_KEYS,
  DEPLOY_KEYS,
  PLACEMENT_KEYS,
  ROLLOUT_KEYS,
  SERVICE_METADATA_KEYS,
  UNTRANSLATED_KEYS,
]);

/** Rules of the top-level keys, by pattern (`networks.*.ipam`). */
export const PROJECT_RULES = gather([
  PROJECT_KEYS,
  VOLUME_DEFINITION_KEYS,
  NETWORK_DEFINITION_KEYS,
  FILE_DEFINITION_KEYS,
]);

export const serviceRule = (pattern: string): KeyRule | undefined => SERVICE_RULES.get(pattern);
export const projectRule = (pattern: string): KeyRule | undefined => PROJECT_RULES.get(pattern);
