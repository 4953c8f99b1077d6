/** `deploy.resources` (and the legacy `cpus`, `mem_limit`...) -> limits and requests, only as set. */
import type { ComposeService, ResourceValues } from '../compose/model';
import { dropped, type Finding } from './findings';
import { QUANTITY } from '../k8s-grammar';

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
        key: 'deploy',
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
  if (limits.pids !== undefined)
    findings.push(dropped('deploy', 'a pids limit is set per node by the kubelet, not per pod'));
  const storage = ephemeralStorage(service, findings);
  const l = withStorage(quantities(limits), storage.limit);
  const r = withStorage(quantities(reservations), storage.request);
  if (!l && !r) return { findings };
  return { resources: { ...(l ? { limits: l } : {}), ...(r ? { requests: r } : {}) }, findings };
}

const withStorage = (q: Record<string, string> | undefined, storage: string | undefined) =>
  storage === undefined ? q : { ...q, 'ephemeral-storage': storage };
