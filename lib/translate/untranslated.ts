/**
 * Compose keys that no Kubernetes field can say, each with the reason, and the findings the key
 * registry gives for them: every one a service sets is reported, so nothing is silently dropped.
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import { dropped, type Finding } from './findings';
import { each, noEquivalent, part, type KeyRule, type KeyRules } from './key-rules';

const KERNEL = (what: string) => noEquivalent(`${what}: a pod cannot set it, the node's container runtime does`);

export const UNTRANSLATED_KEYS: KeyRules = {
  logging: noEquivalent(
    "Kubernetes keeps container logs itself (kubectl logs); ship them with the cluster's log collector",
  ),
  ...each(['logging.driver', 'logging.options'], part),
  devices: noEquivalent('host devices need a device plugin on Kubernetes'),
  ...each(['devices[]', 'devices[].source', 'devices[].target', 'devices[].permissions'], part),
  device_cgroup_rules: noEquivalent('device access rules need a device plugin on Kubernetes'),
  ulimits: KERNEL('ulimits'),
  ...each(['ulimits.*', 'ulimits.*.soft', 'ulimits.*.hard'], part),
  security_opt: noEquivalent('use the pod securityContext (seccompProfile, seLinuxOptions) instead'),
  pid: noEquivalent('use shareProcessNamespace between containers of one pod instead'),
  ipc: noEquivalent('IPC namespaces cannot be shared between pods'),
  uts: noEquivalent("a pod has its own UTS namespace (the node's only with hostNetwork)"),
  cgroup_parent: noEquivalent('the kubelet manages cgroups'),
  cgroup: noEquivalent('the kubelet manages cgroups'),
  runtime: noEquivalent('use a RuntimeClass (spec.runtimeClassName)'),
  develop: noEquivalent('Compose Watch has no cluster equivalent; rebuild and re-apply instead'),
  ...each(
    [
      'develop.watch',
      'develop.watch[]',
      'develop.watch[].path',
      'develop.watch[].action',
      'develop.watch[].target',
      'develop.watch[].ignore',
      'develop.watch[].include',
      'develop.watch[].initial_sync',
      'develop.watch[].exec',
      'develop.watch[].exec.command',
      'develop.watch[].exec.environment',
      'develop.watch[].exec.privileged',
      'develop.watch[].exec.user',
      'develop.watch[].exec.working_dir',
    ],
    part,
  ),
  userns_mode: noEquivalent('user namespaces are set by hostUsers on the pod'),
  isolation: noEquivalent('Windows isolation is not configurable per pod'),
  blkio_config: noEquivalent('block I/O weights and limits are not configurable per pod'),
  ...each(
    ['weight', 'weight_device', 'device_read_bps', 'device_read_iops', 'device_write_bps', 'device_write_iops'].flatMap(
      (k) =>
        k === 'weight'
          ? ['blkio_config.weight']
          : [
              `blkio_config.${k}`,
              `blkio_config.${k}[]`,
              `blkio_config.${k}[].path`,
              `blkio_config.${k}[].${k === 'weight_device' ? 'weight' : 'rate'}`,
            ],
    ),
    part,
  ),
  storage_opt: noEquivalent('use a StorageClass'),
  credential_spec: noEquivalent('Windows credential specs are not translated'),
  ...each(['credential_spec.config', 'credential_spec.file', 'credential_spec.registry'], part),
  attach: noEquivalent('pods always run detached; read their output with kubectl logs'),
  models: noEquivalent(
    "Docker Model Runner serves the models and sets each one's URL and name variables (<MODEL>_URL and <MODEL>_MODEL, or endpoint_var and model_var); the cluster has no model runner: run a model server and set them in environment",
  ),
  ...each(['models.*', 'models.*.endpoint_var', 'models.*.model_var'], part),
  provider: noEquivalent(
    'the cluster runs no provider plugin (Docker Model Runner for type: model): the service is left out, and each depends_on on it reported',
  ),
  ...each(['provider.type', 'provider.options'], part),
  use_api_socket: noEquivalent('the Docker API socket does not exist on Kubernetes nodes'),
  'x-*': noEquivalent('an extension field: compose-cdk8s reads only x-k8s'),
};

/** One warning per top-level key whose rule says it cannot be translated (`networks.back.ipam`). */
export function untranslatedProjectKeys(
  project: ComposeProject,
  ruleOf: (pattern: string) => KeyRule | undefined,
): Diagnostic[] {
  return project.keys.flatMap((key): Diagnostic[] => {
    const rule = ruleOf(key.pattern);
    if (rule?.rule !== 'dropped' || rule.unless?.(key.value) !== undefined) return [];
    return [
      {
        severity: 'warning',
        code: 'untranslated-key',
        path: key.path,
        message: `not translated: ${rule.reason}`,
        ...(key.location ? { location: key.location } : {}),
      },
    ];
  });
}

/** One finding per key whose rule says it cannot be translated, unless its value asks for nothing. */
export function untranslatedKeys(service: ComposeService, ruleOf: (pattern: string) => KeyRule | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const key of service.keys) {
    const rule = ruleOf(key.pattern);
    if (rule?.rule !== 'dropped' || rule.unless?.(key.value) !== undefined) continue;
    findings.push(dropped(key.path, rule.reason));
  }
  return findings;
}
