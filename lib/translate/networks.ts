/**
 * Compose networks -> NetworkPolicies. Each pod carries a label per Compose network it is on;
 * one policy per network admits traffic from pods with the same label. Policies add up, so a
 * pod accepts exactly the pods it shares a network with, as under Compose. `internal: true`
 * networks also confine egress. Published and Ingress ports are opened by the exposure; network
 * aliases are names, and get their Services with the other names (dns-names.ts).
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { dnsLabel, suffixed } from './names';
import { dropped, partial, type Finding } from './findings';
import { each, group, noEquivalent, on, part, pod, podMeta, translated, type KeyRules } from './key-rules';

export const NETWORK_LABEL_PREFIX = 'compose-cdk8s.io/network-';

export function networkLabel(network: string): string {
  // Label names are at most 63 characters after the prefix's `/`.
  return `${NETWORK_LABEL_PREFIX}${dnsLabel(network)}`.slice(0, 'compose-cdk8s.io/'.length + 63).replace(/-+$/, '');
}

export interface NetworkPlan {
  readonly labels: Record<string, string>;
  readonly podFields: Record<string, unknown>;
  readonly findings: Finding[];
}

export const INTERNAL_ONLY_LABEL = 'compose-cdk8s.io/internal-only';

/** Pods only on `internal: true` networks: their egress is confined (see networkPolicies). */
export function onlyOnInternalNetworks(project: ComposeProject, service: ComposeService): boolean {
  const nets = Object.keys(service.networks);
  return !service.networkMode && nets.length > 0 && nets.every((n) => project.networks[n]?.internal);
}

/**
 * `network_mode: service:` / `container:` ask for another container's network namespace, which a
 * pod cannot join: the pod gets its own network, and no Service (its ports are the other's).
 */
export function joinsAnotherNamespace(service: ComposeService): boolean {
  return service.networkMode?.kind === 'service' || service.networkMode?.kind === 'container';
}

/** The networks whose label a service's pods carry: none for pods on the node's own network. */
export function podNetworks(service: ComposeService): string[] {
  return service.networkMode?.kind === 'host' ? [] : Object.keys(service.networks);
}

// Asked once per dependency of every service: computed once per project, not once per question.
const policedByProject = new WeakMap<ComposeProject, ReadonlySet<string>>();

/** The networks that get a NetworkPolicy: those a service is on without a network_mode. */
export function policedNetworks(project: ComposeProject): ReadonlySet<string> {
  const known = policedByProject.get(project);
  if (known) return known;
  const inUse = new Set<string>();
  for (const s of Object.values(project.services)) {
    if (!s.networkMode) Object.keys(s.networks).forEach((n) => inUse.add(n));
  }
  policedByProject.set(project, inUse);
  return inUse;
}

/**
 * Whether the NetworkPolicies let `from`'s pods open a connection to `to`'s pods. Pods on a
 * policed network admit only pods sharing one with them, and pods only on internal networks reach
 * only those networks; pods on no policed network (host network, network_mode, a project whose
 * services all set network_mode) admit anyone.
 */
export function policiesAllowConnection(project: ComposeProject, from: ComposeService, to: ComposeService): boolean {
  const policed = policedNetworks(project);
  const isolating = podNetworks(to).filter((n) => policed.has(n));
  const fromNetworks = podNetworks(from);
  if (isolating.some((n) => fromNetworks.includes(n))) return true;
  return isolating.length === 0 && !onlyOnInternalNetworks(project, from);
}

export function planServiceNetworking(project: ComposeProject, service: ComposeService): NetworkPlan {
  const findings: Finding[] = [];
  const labels: Record<string, string> = {};
  const podFields: Record<string, unknown> = {};
  const mode = service.networkMode;
  if (mode?.kind === 'host') {
    podFields.hostNetwork = true;
    // Without it a host-network pod resolves with the node's resolv.conf: no Service names.
    podFields.dnsPolicy = 'ClusterFirstWithHostNet';
    return { labels, podFields, findings };
  }
  if (mode?.kind === 'none')
    findings.push(dropped('network_mode', 'pods always have a network; the container gets one'));
  if (mode?.kind === 'service' || mode?.kind === 'container') {
    findings.push(
      dropped(
        'network_mode',
        "a pod cannot join another pod's network namespace; merge the two services into one pod (containers share localhost)",
      ),
    );
  }
  for (const net of Object.keys(service.networks).sort()) labels[networkLabel(net)] = 'true';
  if (onlyOnInternalNetworks(project, service)) labels[INTERNAL_ONLY_LABEL] = 'true';
  return { labels, podFields, findings };
}

export interface NetworkPolicySpec {
  readonly name: string;
  readonly network: string;
  readonly spec: Record<string, unknown>;
}

const DNS_EGRESS = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/**
 * One ingress policy per network in use; for each internal network, an egress policy for the
 * pods that are only on internal networks (a pod also on a normal network keeps its egress,
 * as under Compose, and egress policies would otherwise deny it).
 */
export function networkPolicies(project: ComposeProject): NetworkPolicySpec[] {
  const policies: NetworkPolicySpec[] = [];
  for (const net of [...policedNetworks(project)].sort()) {
    const selector = { matchLabels: { [networkLabel(net)]: 'true' } };
    policies.push({
      name: suffixed(dnsLabel(net), 'network'),
      network: net,
      spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: selector }] }] },
    });
    if (project.networks[net]?.internal) {
      policies.push({
        name: suffixed(dnsLabel(net), 'network-egress'),
        network: net,
        spec: {
          podSelector: { matchLabels: { [networkLabel(net)]: 'true', [INTERNAL_ONLY_LABEL]: 'true' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: selector }] }, DNS_EGRESS],
        },
      });
    }
  }
  return policies;
}

export function internalNetworkNote(project: ComposeProject, service: ComposeService): Finding[] {
  const nets = Object.keys(service.networks);
  const internal = nets.filter((n) => project.networks[n]?.internal);
  if (internal.length === 0 || internal.length === nets.length) return [];
  return [
    partial(
      'networks',
      `on internal network(s) ${internal.join(', ')} and others: egress is open through the others, as in Compose`,
    ),
  ];
}

/**
 * The API server's Service port and the port its endpoints usually listen on: most CNIs apply
 * egress rules after the Service's DNAT, to the endpoint's address and port.
 */
export const API_SERVER_PORTS = [443, 6443] as const;

export interface ApiServerEgressPlan {
  readonly policy?: { readonly name: string; readonly spec: Record<string, unknown> };
  readonly findings: Finding[];
}

/**
 * A pod only on internal networks reaches nothing but them and DNS, so a start-order wait that
 * asks the API server would never get an answer. It gets one more way out: the API server is no
 * pod, so no selector names it, and the ports open to any address; a warning says how to narrow
 * them to the API server's addresses, which only the cluster knows.
 */
export function planApiServerEgress(
  project: ComposeProject,
  service: ComposeService,
  policyName: string,
  podSelector: Readonly<Record<string, string>>,
  asksApi: boolean,
): ApiServerEgressPlan {
  if (!asksApi || !onlyOnInternalNetworks(project, service)) return { findings: [] };
  const ports = API_SERVER_PORTS.map((port) => ({ protocol: 'TCP', port }));
  return {
    policy: {
      name: policyName,
      spec: { podSelector: { matchLabels: { ...podSelector } }, policyTypes: ['Egress'], egress: [{ ports }] },
    },
    findings: [
      {
        ...partial(
          'depends_on',
          `its start-order waits ask the Kubernetes API, but it is only on internal networks (${Object.keys(service.networks).sort().join(', ')}): NetworkPolicy ${policyName} lets its pods open TCP ${API_SERVER_PORTS.join(' and ')} to any address. To narrow it, give that rule a \`to\` with an ipBlock (/32) per address that \`kubectl get endpoints kubernetes -n default\` lists`,
        ),
        code: 'api-server-egress',
      },
    ],
  };
}

const CNI = (what: string) => noEquivalent(`${what}: the cluster's network plugin decides it`);

export const NETWORK_KEYS: KeyRules = {
  networks: translated([podMeta('labels'), on('policies')]),
  'networks.*': part,
  'networks.*.ipv4_address': noEquivalent('fixed container IPs cannot be set; use the Service name'),
  'networks.*.ipv6_address': noEquivalent('fixed container IPs cannot be set; use the Service name'),
  'networks.*.link_local_ips': CNI('link-local addresses'),
  'networks.*.mac_address': CNI('the MAC address'),
  'networks.*.driver_opts': CNI('driver options of the attachment'),
  'networks.*.gw_priority': CNI('the default route'),
  'networks.*.priority': CNI('the order of attachments (a pod has one interface)'),
  'networks.*.interface_name': CNI('the interface name'),
  network_mode: translated([pod('hostNetwork'), pod('dnsPolicy')], {
    unless: (v) => (v === 'bridge' ? "bridge: the pod network, Kubernetes' default" : undefined),
  }),
  mac_address: CNI('the MAC address'),
  links: noEquivalent(
    'services reach each other by Service name already; a link alias (db:alias) gets no name of its own',
  ),
  external_links: noEquivalent('containers outside the stack are not reachable by name'),
};

/** Top-level `networks`: one NetworkPolicy (two for internal ones) per network a service is on. */
export const NETWORK_DEFINITION_KEYS: KeyRules = {
  networks: group,
  'networks.*': translated(on('element')),
  ...each(['networks.*.name', 'networks.*.external', 'networks.*.external.name', 'networks.*.internal'], part),
  'networks.*.driver': noEquivalent("the cluster's network plugin is the only driver", {
    unless: (v) => (v === 'bridge' || v === 'overlay' ? `${String(v)}: what a pod network is` : undefined),
  }),
  'networks.*.driver_opts': CNI('driver options'),
  'networks.*.ipam': CNI('addresses (IPAM)'),
  ...each(
    [
      'networks.*.ipam.driver',
      'networks.*.ipam.config',
      'networks.*.ipam.config[]',
      'networks.*.ipam.config[].subnet',
      'networks.*.ipam.config[].ip_range',
      'networks.*.ipam.config[].gateway',
      'networks.*.ipam.config[].aux_addresses',
      'networks.*.ipam.options',
    ],
    part,
  ),
  'networks.*.attachable': noEquivalent('every pod can reach a pod network'),
  'networks.*.enable_ipv4': CNI('IPv4'),
  'networks.*.enable_ipv6': CNI('IPv6'),
  'networks.*.labels': noEquivalent('labels of the Docker network: the NetworkPolicies carry the stack labels'),
};
