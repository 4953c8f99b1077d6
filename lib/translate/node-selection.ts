/**
 * Requirements on a node's labels, from placement constraints and `platform`, and how they become
 * a pod's `nodeSelector` and required node affinity. Swarm ANDs every constraint, as Kubernetes
 * ANDs the nodeSelector with the expressions of one nodeSelectorTerm: contradicting constraints
 * leave the pod Pending, as they leave the Swarm task pending.
 */

export interface NodeRequirement {
  /** The node label. */
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** The one value of `In` and `NotIn`. */
  readonly value?: string;
  /** The Compose key it comes from (`deploy.placement.constraints[1]`, `platform`). */
  readonly from: string;
}

/** The label kubelet puts on control-plane nodes: Swarm's managers. */
export const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
export const HOSTNAME = 'kubernetes.io/hostname';
export const OS = 'kubernetes.io/os';
export const ARCH = 'kubernetes.io/arch';

/**
 * Docker's architecture names (`uname -m` in `docker info`, which Swarm's node.platform.arch
 * compares) and OCI's (`platform: linux/arm64`), as Go names them in the kubelet's
 * kubernetes.io/arch label.
 */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  x64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv8: 'arm64',
  arm: 'arm',
  armhf: 'arm',
  armel: 'arm',
  armv6l: 'arm',
  armv7l: 'arm',
  armv8l: 'arm',
  i386: '386',
  i486: '386',
  i586: '386',
  i686: '386',
  x86: '386',
  '386': '386',
  ppc64le: 'ppc64le',
  ppc64el: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64le',
  mips64el: 'mips64le',
  loong64: 'loong64',
  loongarch64: 'loong64',
};

/** `x86_64` -> `amd64`; undefined for a name no Kubernetes node reports. */
export function kubernetesArch(name: string): string | undefined {
  return ARCHITECTURES[name.toLowerCase()];
}

export const KNOWN_ARCHES = [...new Set(Object.values(ARCHITECTURES))].join(', ');

export interface NodeSelection {
  readonly nodeSelector?: Record<string, string>;
  /** `affinity.nodeAffinity`. */
  readonly nodeAffinity?: Record<string, unknown>;
  /** Requirements no node can meet together with an earlier one. */
  readonly conflicts: readonly { readonly requirement: NodeRequirement; readonly with: NodeRequirement }[];
}

/** `zone=a`, `disk!=hdd`, `has node-role.kubernetes.io/control-plane`: a requirement for a message. */
export function describeRequirement(r: NodeRequirement): string {
  if (r.operator === 'In') return `${r.key}=${r.value}`;
  if (r.operator === 'NotIn') return `${r.key}!=${r.value}`;
  return `${r.operator === 'Exists' ? 'has' : 'lacks'} ${r.key}`;
}

/** Whether no node can meet both requirements. */
function contradicts(a: NodeRequirement, b: NodeRequirement): boolean {
  if (a.key !== b.key) return false;
  const ops = new Set([a.operator, b.operator]);
  if (a.operator === 'In' && b.operator === 'In') return a.value !== b.value;
  if (ops.has('In') && ops.has('NotIn')) return a.value === b.value;
  return ops.has('DoesNotExist') && (ops.has('Exists') || ops.has('In'));
}

/**
 * The requirements as a nodeSelector (each label's first required value, which reads best) and
 * one nodeSelectorTerm for the rest: `NotIn` with every excluded value of a label, `Exists` and
 * `DoesNotExist`, and `In` for a second required value of a label the selector already holds.
 */
export function nodeSelection(requirements: readonly NodeRequirement[]): NodeSelection {
  const selector: Record<string, string> = {};
  const expressions: { key: string; operator: string; values?: string[] }[] = [];
  const expression = (key: string, operator: string) =>
    expressions.find((e) => e.key === key && e.operator === operator);
  for (const r of requirements) {
    const value = r.value ?? '';
    if (r.operator === 'In' && selector[r.key] === undefined) selector[r.key] = value;
    else if (r.operator === 'In' && selector[r.key] === value) continue;
    else if (r.operator === 'In' || r.operator === 'NotIn') {
      const found = expression(r.key, r.operator);
      if (!found) expressions.push({ key: r.key, operator: r.operator, values: [value] });
      else if (!found.values?.includes(value)) found.values?.push(value);
    } else if (!expression(r.key, r.operator)) expressions.push({ key: r.key, operator: r.operator });
  }
  const conflicts = requirements.flatMap((r, i) => {
    const other = requirements.slice(0, i).find((earlier) => contradicts(earlier, r));
    return other ? [{ requirement: r, with: other }] : [];
  });
  return {
    conflicts,
    ...(Object.keys(selector).length > 0 ? { nodeSelector: selector } : {}),
    ...(expressions.length > 0
      ? {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] },
          },
        }
      : {}),
  };
}
