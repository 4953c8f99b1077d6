/**
 * Where the pods may run: Swarm's `deploy.placement` (constraints, spread preferences, replicas
 * per node) and the service's `platform`, as the pod's nodeSelector, affinity, tolerations and
 * topologySpreadConstraints. Node attributes become the labels the kubelet sets (hostname, os,
 * arch, control-plane role); `node.labels.*` are the nodes' own labels, which the cluster admin
 * sets as a Swarm admin sets node labels. What no node label says is reported per constraint.
 */
import type { ComposeService } from '../compose/model';
import { isLabelKey, LABEL_VALUE } from '../k8s-grammar';
import { dropped, note, partial, type Finding } from './findings';
import { emptyIsNothing, group, part, pod, translated, workload, type KeyRules } from './key-rules';
import {
  ARCH,
  CONTROL_PLANE,
  describeRequirement,
  HOSTNAME,
  KNOWN_ARCHES,
  kubernetesArch,
  nodeSelection,
  OS,
  type NodeRequirement,
} from './node-selection';
import type { WorkloadKind } from './workload';

/**
 * swarmkit's grammar (manager/constraint): an attribute, `==` or `!=` (`==` looked for first), a
 * value. `/` is allowed in the attribute too, for prefixed Kubernetes labels
 * (`node.labels.topology.kubernetes.io/zone`).
 */
const ATTRIBUTE = /^[a-z_][-a-z0-9_./]+$/i;

const invalidValue = (value: string) =>
  `"${value}" is not a valid Kubernetes label value (at most 63 letters, digits, "-", "_" and ".")`;

type Requirement = Omit<NodeRequirement, 'from'>;
type Parsed = { readonly requirement: Requirement } | { readonly reason: string };

/** `label In/NotIn value`, when the value can be a label value. */
function labelled(key: string, equal: boolean, value: string): Parsed {
  if (!LABEL_VALUE.test(value)) return { reason: invalidValue(value) };
  return { requirement: { key, operator: equal ? 'In' : 'NotIn', value } };
}

/**
 * One node attribute compared with a value. Swarm compares case-insensitively; node labels are
 * compared as written (Kubernetes label values are case-sensitive), the kubelet's own labels in
 * lower case, as the kubelet writes them.
 */
function attributeRequirement(attribute: string, equal: boolean, value: string): Parsed {
  const name = attribute.toLowerCase();
  if (name.startsWith('node.labels.')) {
    const key = attribute.slice('node.labels.'.length);
    if (!isLabelKey(key)) return { reason: `"${key}" is not a valid Kubernetes label key` };
    return labelled(key, equal, value);
  }
  if (name.startsWith('engine.labels.')) {
    const label = attribute.slice('engine.labels.'.length);
    const shown = LABEL_VALUE.test(value) ? value : '<value>';
    return {
      reason: `Docker engine labels do not exist on Kubernetes nodes: label the nodes (kubectl label node <node> ${label}=${shown}) and constrain on node.labels.${label}`,
    };
  }
  switch (name) {
    case 'node.hostname':
      return labelled(HOSTNAME, equal, value.toLowerCase());
    case 'node.platform.os':
      return labelled(OS, equal, value.toLowerCase());
    case 'node.platform.arch': {
      const arch = kubernetesArch(value);
      if (!arch) return { reason: `"${value}" is no architecture a Kubernetes node reports (${KNOWN_ARCHES})` };
      return labelled(ARCH, equal, arch);
    }
    case 'node.role': {
      const role = value.toLowerCase();
      if (role !== 'manager' && role !== 'worker') return { reason: `node.role is manager or worker, not "${value}"` };
      const onControlPlane = (role === 'manager') === equal;
      return { requirement: { key: CONTROL_PLANE, operator: onControlPlane ? 'Exists' : 'DoesNotExist' } };
    }
    case 'node.id':
      return {
        reason: 'Swarm node IDs do not exist on Kubernetes: constrain on node.hostname or a node label instead',
      };
    default:
      return {
        reason: `${attribute} is no node attribute (node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label>)`,
      };
  }
}

export function parseConstraint(expression: string): Parsed {
  const op = expression.includes('==') ? '==' : expression.includes('!=') ? '!=' : undefined;
  if (!op) return { reason: `"${expression}" has no == or !=: a constraint is <attribute> == <value> or != <value>` };
  const at = expression.indexOf(op);
  const attribute = expression.slice(0, at).trim();
  const value = expression.slice(at + op.length).trim();
  if (!ATTRIBUTE.test(attribute) || value === '')
    return { reason: `"${expression}" is not a constraint: <attribute> == <value> or != <value>` };
  return attributeRequirement(attribute, op === '==', value);
}

/**
 * `platform: linux/arm64[/v8]`: Kubernetes cannot choose which image of a multi-platform image
 * a node pulls, so the pod goes to nodes of that platform. Docker may run another platform's
 * image under emulation; a node runs its own, so the platform is required, not emulated.
 */
export function platformRequirements(platform: string): { requirements: NodeRequirement[]; findings: Finding[] } {
  const [os, arch, variant] = platform.trim().toLowerCase().split('/');
  if (os === 'wasi' || arch === 'wasm')
    return {
      requirements: [],
      findings: [
        dropped(
          'platform',
          `${platform}: a WebAssembly image runs on Linux nodes through a RuntimeClass (spec.runtimeClassName), not on nodes of its own`,
        ),
      ],
    };
  if (os !== 'linux' && os !== 'windows')
    return {
      requirements: [],
      findings: [dropped('platform', `"${os}": Kubernetes runs pods on linux and windows nodes only`)],
    };
  const requirements: NodeRequirement[] = [{ key: OS, operator: 'In', value: os, from: 'platform' }];
  const findings: Finding[] = [];
  const kubeArch = arch === undefined ? undefined : kubernetesArch(arch);
  if (arch !== undefined && !kubeArch)
    findings.push(
      partial(
        'platform',
        `"${arch}" is no architecture a Kubernetes node reports (${KNOWN_ARCHES}): only ${OS} is required`,
      ),
    );
  if (kubeArch) requirements.push({ key: ARCH, operator: 'In', value: kubeArch, from: 'platform' });
  // arm64 has one variant; for the others (arm v6/v7, amd64 levels) no node label says which.
  if (variant !== undefined && !(kubeArch === 'arm64' && variant === 'v8'))
    findings.push(
      partial('platform', `the variant ${variant} has no node label: any ${os}/${kubeArch ?? arch} node is chosen`),
    );
  findings.push(
    note(
      'platform',
      `the pod runs on ${os}${kubeArch ? `/${kubeArch}` : ''} nodes only: a node runs images of its own platform, where Docker may emulate another`,
    ),
  );
  return { requirements, findings };
}

/** Control-plane nodes are tainted NoSchedule on most clusters; Swarm managers run tasks. */
const CONTROL_PLANE_TOLERATION = { key: CONTROL_PLANE, operator: 'Exists', effect: 'NoSchedule' };

function constraintRequirements(service: ComposeService): { requirements: NodeRequirement[]; findings: Finding[] } {
  const requirements: NodeRequirement[] = [];
  const findings: Finding[] = [];
  service.deploy.placement.constraints.forEach((c, i) => {
    const from = `deploy.placement.constraints[${i}]`;
    const parsed = parseConstraint(c.expression);
    if ('requirement' in parsed) requirements.push({ ...parsed.requirement, from });
    else findings.push({ ...dropped(from, parsed.reason), location: c.location });
  });
  return { requirements, findings };
}

/**
 * `spread: node.labels.zone`: pods balanced over the label's values, softly (ScheduleAnyway), as
 * Swarm's preferences never keep a task from running.
 */
function spreadConstraints(
  service: ComposeService,
  kind: WorkloadKind,
  matchLabels: Readonly<Record<string, string>>,
): { constraints: Record<string, unknown>[]; findings: Finding[] } {
  const preferences = service.deploy.placement.preferences;
  if (preferences.length === 0) return { constraints: [], findings: [] };
  if (kind === 'DaemonSet')
    return {
      constraints: [],
      findings: [note('deploy.placement.preferences', 'a DaemonSet runs one pod on each node: nothing to spread')],
    };
  const findings: Finding[] = [];
  const keys: string[] = [];
  preferences.forEach((spread, i) => {
    const at = `deploy.placement.preferences[${i}]`;
    if (spread === undefined) return void findings.push(dropped(at, 'no spread: nothing to spread over'));
    const label = spread.toLowerCase().startsWith('node.labels.') ? spread.slice('node.labels.'.length) : undefined;
    if (label === undefined)
      return void findings.push(dropped(`${at}.spread`, `Swarm spreads over node.labels.<label>, not ${spread}`));
    if (!isLabelKey(label))
      return void findings.push(dropped(`${at}.spread`, `"${label}" is not a valid Kubernetes label key`));
    if (!keys.includes(label)) keys.push(label);
  });
  if (keys.length > 1)
    findings.push(
      note(
        'deploy.placement.preferences',
        'Swarm spreads over the first label, then within each of its values over the next; Kubernetes balances each label on its own',
      ),
    );
  const constraints = keys.map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...matchLabels } },
  }));
  return { constraints, findings };
}

interface PerNodeLimit {
  readonly podAntiAffinity?: Record<string, unknown>;
  readonly spread?: Record<string, unknown>;
  readonly findings: Finding[];
}

/**
 * `max_replicas_per_node: 1` is a required pod anti-affinity on the hostname: at most one of the
 * service's pods per node, the others Pending, as Swarm leaves the extra tasks pending. (A
 * topology spread with maxSkew 1 would not do: it bounds the difference between nodes, so one
 * node would take every pod.) For N > 1 there is no per-node count: a DoNotSchedule spread with
 * maxSkew N, and minDomains = replicas, treats the least loaded node as empty while the pods do
 * not outnumber the nodes, which caps each node at N for the service's own replicas.
 */
function perNodeLimit(
  service: ComposeService,
  kind: WorkloadKind,
  matchLabels: Readonly<Record<string, string>>,
): PerNodeLimit {
  const max = service.deploy.placement.maxReplicasPerNode;
  const key = 'deploy.placement.max_replicas_per_node';
  if (max === undefined || max === 0) return { findings: [] };
  if (kind === 'DaemonSet') return { findings: [note(key, 'a DaemonSet runs one pod on each node')] };
  const labelSelector = { matchLabels: { ...matchLabels } };
  if (max === 1)
    return {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector, topologyKey: HOSTNAME }] },
      findings: [],
    };
  const replicas = service.deploy.replicas ?? 1;
  const minDomains = replicas > max ? replicas : undefined;
  return {
    spread: {
      maxSkew: max,
      topologyKey: HOSTNAME,
      whenUnsatisfiable: 'DoNotSchedule',
      ...(minDomains !== undefined ? { minDomains } : {}),
      labelSelector,
    },
    findings: [
      partial(
        key,
        `Kubernetes has no per-node pod limit: wrote a topologySpreadConstraint on ${HOSTNAME} (maxSkew ${max}, DoNotSchedule${
          minDomains !== undefined ? `, minDomains ${minDomains}` : ''
        }), which keeps at most ${max} of the service's ${replicas} pod(s) on a node; pods beyond those (a rollout's surge, kubectl scale) may exceed it`,
      ),
    ],
  };
}

export interface PlacementPlan {
  readonly fields: Record<string, unknown>;
  readonly findings: Finding[];
}

/** The pod fields of placement and platform, only those the service asks for. */
export function planPlacement(
  service: ComposeService,
  kind: WorkloadKind,
  matchLabels: Readonly<Record<string, string>>,
): PlacementPlan {
  const constraints = constraintRequirements(service);
  const platform = service.platform !== undefined ? platformRequirements(service.platform) : undefined;
  const selection = nodeSelection([...constraints.requirements, ...(platform?.requirements ?? [])]);
  const spread = spreadConstraints(service, kind, matchLabels);
  const limit = perNodeLimit(service, kind, matchLabels);
  const topology = [...spread.constraints, ...(limit.spread ? [limit.spread] : [])];
  const located = (key: string) =>
    service.deploy.placement.constraints.find((_, i) => `deploy.placement.constraints[${i}]` === key)?.location;
  // Faithful (Swarm leaves such a task pending too), but surely not what the file means.
  const conflicts = selection.conflicts.map(({ requirement: r, with: earlier }) => ({
    ...partial(
      r.from,
      `no node can be both ${describeRequirement(earlier)} (${earlier.from}) and ${describeRequirement(r)}: the pod stays Pending, as the Swarm task would`,
    ),
    location: located(r.from),
  }));
  const onControlPlane = constraints.requirements.some((r) => r.key === CONTROL_PLANE && r.operator === 'Exists');
  const affinity = {
    ...(selection.nodeAffinity ? { nodeAffinity: selection.nodeAffinity } : {}),
    ...(limit.podAntiAffinity ? { podAntiAffinity: limit.podAntiAffinity } : {}),
  };
  return {
    fields: {
      ...(selection.nodeSelector ? { nodeSelector: selection.nodeSelector } : {}),
      ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
      ...(onControlPlane ? { tolerations: [CONTROL_PLANE_TOLERATION] } : {}),
      ...(topology.length > 0 ? { topologySpreadConstraints: topology } : {}),
    },
    findings: [
      ...constraints.findings,
      ...(platform?.findings ?? []),
      ...conflicts,
      ...spread.findings,
      ...limit.findings,
    ],
  };
}

export const PLACEMENT_KEYS: KeyRules = {
  platform: translated([pod('nodeSelector'), pod('affinity.nodeAffinity')]),
  'deploy.placement': group,
  'deploy.placement.constraints': translated([pod('nodeSelector'), pod('affinity.nodeAffinity'), pod('tolerations')], {
    unless: emptyIsNothing,
  }),
  'deploy.placement.preferences': translated(pod('topologySpreadConstraints[whenUnsatisfiable=ScheduleAnyway]'), {
    unless: emptyIsNothing,
  }),
  'deploy.placement.preferences[]': part,
  'deploy.placement.preferences[].spread': part,
  'deploy.placement.max_replicas_per_node': translated(
    [
      pod('affinity.podAntiAffinity'),
      pod('topologySpreadConstraints[whenUnsatisfiable=DoNotSchedule]'),
      workload('spec.strategy'),
    ],
    { unless: (v) => (Number(v) === 0 ? '0: no limit, as in Swarm' : undefined) },
  ),
};
