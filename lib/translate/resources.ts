/** `deploy.resources` (and the legacy `cpus`, `mem_limit`...) -> limits and requests, only as set. */
import type { ComposeService, ResourceValues } from '../compose/model';
import type { Finding } from './findings';
import { QUANTITY } from '../k8s-grammar';
import { container, each, group, noEquivalent, part, translated, type KeyRules } from './key-rules';

/** 0.5 -> "500m", 2 -> "2". */
export function cpuQuantity(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Exact binary units when they fit: 268435456 -> "256Mi"; otherwise plain bytes. */
export function memoryQuantity(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

function quantities(v: ResourceValues): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (v.cpus !== undefined && v.cpus > 0) out.cpu = cpuQuantity(v.cpus);
  if (v.memoryBytes !== undefined && v.memoryBytes > 0) out.memory = memoryQuantity(v.memoryBytes);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** kompose reads `kompose.ephemeral-storage.limit` and `.request` from `deploy.labels`. */
function ephemeralStorage(service: ComposeService, findings: Finding[]): { limit?: string; request?: string } {
  const out: { limit?: string; request?: string } = {};
  for (const which of ['limit', 'request'] as const) {
    const value = service.deploy.labels[`kompose.ephemeral-storage.${which}`];
    if (value === undefined) continue;
    if (QUANTITY.test(value)) out[which] = value;
    else
      findings.push({
        key: 'deploy.labels',
        status: 'dropped',
        severity: 'error',
        code: 'invalid-kompose-label',
        message: `labels.kompose.ephemeral-storage.${which}: "${value}" is not a quantity (e.g. 2Gi)`,
      });
  }
  return out;
}

export function resources(service: ComposeService): { resources?: Record<string, unknown>; findings: Finding[] } {
  const { limits, reservations } = service.deploy.resources;
  const findings: Finding[] = [];
  const storage = ephemeralStorage(service, findings);
  const l = withStorage(quantities(limits), storage.limit);
  const r = withStorage(quantities(reservations), storage.request);
  if (!l && !r) return { findings };
  return { resources: { ...(l ? { limits: l } : {}), ...(r ? { requests: r } : {}) }, findings };
}

const withStorage = (q: Record<string, string> | undefined, storage: string | undefined) =>
  storage === undefined ? q : { ...q, 'ephemeral-storage': storage };

const USE_RESOURCES = (what: string) => noEquivalent(`${what}: say it with deploy.resources (limits and requests)`);
const NODE_SETTING = (what: string) => noEquivalent(`${what} is a setting of the node, not of a pod`);

export const RESOURCE_KEYS: KeyRules = {
  'deploy.resources': group,
  'deploy.resources.limits': group,
  'deploy.resources.limits.cpus': translated(container('resources.limits.cpu')),
  'deploy.resources.limits.memory': translated(container('resources.limits.memory')),
  'deploy.resources.limits.pids': noEquivalent('the kubelet sets a pids limit per node (podPidsLimit), not per pod'),
  'deploy.resources.reservations': group,
  'deploy.resources.reservations.cpus': translated(container('resources.requests.cpu')),
  'deploy.resources.reservations.memory': translated(container('resources.requests.memory')),
  'deploy.resources.reservations.generic_resources': noEquivalent(
    "Swarm's generic resources: request the device plugin's extended resource instead",
  ),
  ...each(
    [
      'deploy.resources.reservations.generic_resources[]',
      'deploy.resources.reservations.generic_resources[].discrete_resource_spec',
      'deploy.resources.reservations.generic_resources[].discrete_resource_spec.kind',
      'deploy.resources.reservations.generic_resources[].discrete_resource_spec.value',
    ],
    part,
  ),
  cpus: translated(container('resources.limits.cpu')),
  mem_limit: translated(container('resources.limits.memory')),
  mem_reservation: translated(container('resources.requests.memory')),
  pids_limit: noEquivalent('the kubelet sets a pids limit per node (podPidsLimit), not per pod'),
  cpu_shares: USE_RESOURCES('a relative CPU weight'),
  cpu_quota: USE_RESOURCES('a CFS quota'),
  cpu_period: USE_RESOURCES('a CFS period'),
  cpu_count: USE_RESOURCES('a CPU count (Windows)'),
  cpu_percent: USE_RESOURCES('a CPU percentage (Windows)'),
  cpu_rt_period: NODE_SETTING('real-time CPU scheduling'),
  cpu_rt_runtime: NODE_SETTING('real-time CPU scheduling'),
  cpuset: noEquivalent("CPU pinning is the kubelet CPU manager's job (static policy, Guaranteed pods)"),
  mem_swappiness: NODE_SETTING('swap behaviour'),
  memswap_limit: NODE_SETTING('swap behaviour'),
  oom_kill_disable: NODE_SETTING('the OOM killer'),
  oom_score_adj: noEquivalent("the kubelet sets OOM scores from the pod's QoS class"),
};
