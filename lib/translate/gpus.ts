/**
 * GPUs: `gpus` and the device requests of `deploy.resources.reservations.devices`, as the
 * extended resource of the vendor's device plugin in the container's limits (`nvidia.com/gpu:
 * 1`). The device plugin gives the container that many devices of its node, as Docker's driver
 * does; it cannot take "all of them" or named devices, which are reported with what was written.
 */
import type { ComposeService, DeviceRequest } from '../compose/model';
import { dropped, note, partial, type Finding } from './findings';
import {
  container,
  each,
  emptyIsNothing,
  noEquivalent,
  part,
  translated,
  type FieldRef,
  type KeyRules,
} from './key-rules';

/** The extended resource each vendor's device plugin advertises. */
const RESOURCES: Readonly<Record<string, string>> = {
  nvidia: 'nvidia.com/gpu',
  amd: 'amd.com/gpu',
  intel: 'gpu.intel.com/i915',
};

/**
 * Docker's NVIDIA driver turns these capabilities into NVIDIA_DRIVER_CAPABILITIES, which picks
 * the driver libraries mounted into the container (video for NVENC, graphics...); the NVIDIA
 * container toolkit of a Kubernetes node reads the same variable from the container.
 */
const NVIDIA_DRIVER_CAPABILITIES = ['compute', 'compat32', 'graphics', 'utility', 'video', 'display'];
const DRIVER_CAPABILITIES = 'NVIDIA_DRIVER_CAPABILITIES';

export interface GpuPlan {
  /** Extended resources for the container's limits (Kubernetes sets the request to the limit). */
  readonly limits: Record<string, string>;
  readonly env: { readonly name: string; readonly value: string }[];
  readonly findings: Finding[];
}

/** A request without a driver goes to the driver registered for its capabilities: NVIDIA's, for `gpu`. */
function vendorOf(d: DeviceRequest): string | undefined {
  if (d.driver !== undefined) return RESOURCES[d.driver.toLowerCase()] ? d.driver.toLowerCase() : undefined;
  return d.capabilities.includes('gpu') || d.capabilities.includes('nvidia') ? 'nvidia' : undefined;
}

interface Request {
  readonly at: string;
  readonly device: DeviceRequest;
  /** `count` was written (as opposed to left to Compose's "all"). */
  readonly countWritten: boolean;
}

/** How many devices a request becomes, and what to say about it. */
function deviceCount(r: Request, resource: string): { n: number; findings: Finding[] } {
  const { device: d, at } = r;
  if (d.deviceIds.length > 0) {
    const n = d.deviceIds.length;
    return {
      n,
      findings: [
        partial(
          `${at}.device_ids`,
          `Kubernetes cannot pick devices by ID: wrote ${resource}: ${n}, and the device plugin chooses which ${n} (not ${d.deviceIds.join(', ')})`,
        ),
        ...(r.countWritten
          ? [
              dropped(
                `${at}.count`,
                'count and device_ids exclude each other (Docker refuses both): device_ids counted',
              ),
            ]
          : []),
      ],
    };
  }
  if (d.count === undefined || d.count === 'all')
    return {
      n: 1,
      findings: [
        partial(
          r.countWritten ? `${at}.count` : at,
          `all the node's GPUs: Kubernetes allocates a fixed number, so ${resource}: 1 was written; set it to the number of GPUs of your nodes`,
        ),
      ],
    };
  if (d.count === 0) return { n: 0, findings: [note(`${at}.count`, '0: no device to reserve')] };
  return { n: d.count, findings: [] };
}

function requests(service: ComposeService): Request[] {
  const written = (path: string) => service.keys.some((k) => k.path === path);
  const gpus: Request[] =
    service.gpus === 'all'
      ? [{ at: 'gpus', device: { deviceIds: [], capabilities: ['gpu'], options: {} }, countWritten: false }]
      : (service.gpus ?? []).map((device, i) => ({
          at: `gpus[${i}]`,
          // `gpus` items are GPUs even without capabilities: Docker's --gpus asks for `gpu`.
          device: device.capabilities.length > 0 ? device : { ...device, capabilities: ['gpu'] },
          countWritten: written(`gpus[${i}].count`),
        }));
  const devices = service.deploy.devices.map((device, i) => {
    const at = `deploy.resources.reservations.devices[${i}]`;
    return { at, device, countWritten: written(`${at}.count`) };
  });
  return [...gpus, ...devices];
}

export function planGpus(service: ComposeService): GpuPlan {
  const limits: Record<string, number> = {};
  const capabilities: string[] = [];
  const findings: Finding[] = [];
  for (const r of requests(service)) {
    const vendor = vendorOf(r.device);
    if (vendor === undefined) {
      findings.push(
        dropped(
          r.at,
          r.device.driver !== undefined
            ? `no Kubernetes device plugin resource is known for the driver "${r.device.driver}" (nvidia, amd, intel): request the plugin's resource in resources.limits`
            : `capabilities [${r.device.capabilities.join(', ')}] name no GPU: request the device plugin's resource in resources.limits`,
        ),
      );
      continue;
    }
    const resource = RESOURCES[vendor];
    const count = deviceCount(r, resource);
    findings.push(...count.findings);
    if (count.n > 0) limits[resource] = (limits[resource] ?? 0) + count.n;
    const honoured = ['gpu', ...(vendor === 'nvidia' ? ['nvidia', ...NVIDIA_DRIVER_CAPABILITIES] : [])];
    const other = r.device.capabilities.filter((c) => !honoured.includes(c));
    if (other.length > 0)
      findings.push(
        partial(`${r.at}.capabilities`, `${other.join(', ')}: no ${resource} device plugin setting says it`),
      );
    if (vendor === 'nvidia')
      for (const c of r.device.capabilities)
        if (NVIDIA_DRIVER_CAPABILITIES.includes(c) && !capabilities.includes(c)) capabilities.push(c);
  }
  // The service's own value wins, as a variable set in the file wins over one the driver sets.
  const ownValue =
    service.environment[DRIVER_CAPABILITIES] !== undefined ||
    service.envFiles.some((f) => f.values[DRIVER_CAPABILITIES] !== undefined);
  return {
    limits: Object.fromEntries(Object.entries(limits).map(([k, n]) => [k, String(n)])),
    env: capabilities.length > 0 && !ownValue ? [{ name: DRIVER_CAPABILITIES, value: capabilities.join(',') }] : [],
    findings,
  };
}

const GPU_WRITES: FieldRef[] = [
  ...Object.values(RESOURCES).map((r) => container(`resources.limits."${r}"`)),
  container(`env[name=${DRIVER_CAPABILITIES}]`),
];

const OPTIONS = noEquivalent("driver options are the device plugin's configuration, not the pod's", {
  unless: emptyIsNothing,
});

const DEVICES = 'deploy.resources.reservations.devices';

export const GPU_KEYS: KeyRules = {
  gpus: translated(GPU_WRITES),
  [DEVICES]: translated(GPU_WRITES, { unless: emptyIsNothing }),
  ...each(
    ['gpus', DEVICES].flatMap((k) => [
      `${k}[]`,
      `${k}[].capabilities`,
      `${k}[].count`,
      `${k}[].device_ids`,
      `${k}[].driver`,
    ]),
    part,
  ),
  'gpus[].options': OPTIONS,
  [`${DEVICES}[].options`]: OPTIONS,
};
