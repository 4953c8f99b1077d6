/**
 * Compose keys the model keeps but Kubernetes has no field for: each is reported with the reason,
 * so nothing is silently dropped.
 */
import type { ComposeService } from '../compose/model';
import { dropped, type Finding } from './findings';

const REASONS: Readonly<Record<string, string>> = {
  logging: "Kubernetes keeps container logs itself (kubectl logs); ship them with the cluster's log collector",
  devices: 'host devices need a device plugin on Kubernetes',
  ulimits: 'ulimits come from the container runtime configuration of the node',
  security_opt: 'use the pod securityContext (seccompProfile, appArmorProfile) instead',
  pid: 'use shareProcessNamespace between containers of one pod instead',
  ipc: 'IPC namespaces cannot be shared between pods',
  cgroup_parent: 'the kubelet manages cgroups',
  cgroup: 'the kubelet manages cgroups',
  runtime: 'use a RuntimeClass (spec.runtimeClassName)',
  develop: 'Compose Watch has no cluster equivalent; rebuild and re-apply instead',
  links: 'services reach each other by Service name already; link aliases are not created',
  external_links: 'containers outside the stack are not reachable by name',
  volumes_from: "pods cannot mount another pod's volumes; share a volume by name instead",
  platform: 'schedule on matching nodes with a nodeSelector on kubernetes.io/arch',
  gpus: 'request GPUs through the device plugin (resources.limits nvidia.com/gpu)',
  userns_mode: 'user namespaces are set by hostUsers on the pod',
  isolation: 'Windows isolation is not configurable per pod',
  mac_address: 'pods get their MAC address from the CNI',
  oom_kill_disable: 'the kernel OOM killer follows the memory limit',
  oom_score_adj: 'the kubelet sets OOM scores from the QoS class',
  mem_swappiness: 'swap behaviour is a node setting',
  memswap_limit: 'swap behaviour is a node setting',
  cpu_shares: 'use deploy.resources (requests) instead',
  cpu_quota: 'use deploy.resources (limits) instead',
  cpu_period: 'use deploy.resources (limits) instead',
  cpuset: "CPU pinning is the kubelet CPU manager's job",
  blkio_config: 'block I/O weights are not configurable per pod',
  storage_opt: 'use a StorageClass',
  credential_spec: 'Windows credential specs are not translated',
  attach: 'pods always run detached',
  label_file: 'label files are not read',
  post_start: 'use a postStart lifecycle hook',
  pre_stop: 'use a preStop lifecycle hook',
  models: 'Compose models have no cluster equivalent',
  provider: 'Compose providers have no cluster equivalent',
  use_api_socket: 'the Docker API socket does not exist on Kubernetes nodes',
};

export function untranslatedKeys(service: ComposeService): Finding[] {
  const findings: Finding[] = [];
  for (const key of Object.keys(service.unmodeled).sort()) {
    findings.push(dropped(key, REASONS[key] ?? 'no Kubernetes equivalent'));
  }
  if (service.platform) findings.push(dropped('platform', REASONS.platform));
  return findings;
}
