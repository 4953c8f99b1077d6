/**
 * How a stack is reached from outside the cluster, as under Compose: published ports get a
 * companion Service `<name>-published` (NodePort on kind and minikube, with the deterministic
 * NodePorts the kind cluster config maps to; LoadBalancer on the same port number elsewhere),
 * HTTP routes become an Ingress, and a NetworkPolicy lets outside traffic in on exactly those
 * ports (the per-network policies would otherwise keep it out). The cluster-internal Service
 * named after the Compose service is left as it is, so `db:5432` inside the stack is unchanged.
 */
import { JsonPatch, type ApiObject } from 'cdk8s';
// The L1 classes alone: the package's index also loads every L2 construct, which nothing here uses.
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { Diagnostic } from '../compose/diagnostics';
import type { Protocol } from '../compose/model';
import { childPath } from '../compose/parse';
import { keyLocation } from '../translate/findings';
import { assignNodePorts, type PublishedPort } from '../expose/node-ports';
import { ingressRequestFor, type IngressRequest } from '../expose/ingress-rules';
import { suffixed } from '../translate/names';
import type { ComposeChart } from './compose-chart';
import { kubeObject } from './kube-object';

export interface StackExposure {
  /** Published ports with their NodePort, sorted by host port. */
  readonly published: readonly PublishedPort[];
  readonly ingresses: readonly IngressRequest[];
  readonly diagnostics: readonly Diagnostic[];
  /** `<service>-published` Service of each service with published ports, by Compose service name. */
  readonly publishedServices: ReadonlyMap<string, ApiObject>;
  /** Ingress of each routed service, by Compose service name. */
  readonly ingressObjects: ReadonlyMap<string, ApiObject>;
  /** `<service>-from-outside` NetworkPolicy of each published or routed service, by Compose service name. */
  readonly outsideAccessPolicies: ReadonlyMap<string, ApiObject>;
}

const k8sProtocol = (p: Protocol) => p.toUpperCase();

interface PortKey {
  readonly port: number;
  readonly protocol: Protocol;
}

function uniquePorts<T extends PortKey>(ports: readonly T[]): T[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The Service ports of one service's published ports (one per host port and protocol). */
export function publishedServicePorts(ports: readonly PublishedPort[], target: ComposeChart['target'], pinned = false) {
  const unique = uniquePorts(ports.map((p) => ({ ...p, port: p.published })));
  return unique.map((p) => ({
    name: `${p.protocol}-${p.published}`,
    port: p.published,
    targetPort: k8s.IntOrString.fromNumber(p.target),
    protocol: k8sProtocol(p.protocol),
    // A generic cluster's LoadBalancer answers on `port`; fixing NodePorts there could collide
    // with other tenants, so only the local targets (whose cluster config maps them) pin them.
    ...(target === 'generic' && !pinned ? {} : { nodePort: p.nodePort }),
  }));
}

function groupByService<T extends { readonly service: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.service);
    if (group) group.push(item);
    else groups.set(item.service, [item]);
  }
  return groups;
}

/** kompose.service.type nodeport/loadbalancer chooses the type of the Service that publishes. */
function publishedType(chart: ComposeChart, service: string): 'NodePort' | 'LoadBalancer' {
  const { serviceType } = chart.service(service).kompose;
  if (serviceType === 'NodePort' || serviceType === 'LoadBalancer') return serviceType;
  return chart.target === 'generic' ? 'LoadBalancer' : 'NodePort';
}

function addPublishedService(chart: ComposeChart, service: string, ports: readonly PublishedPort[]): ApiObject {
  const construct = chart.service(service);
  const { externalTrafficPolicy, nodePort } = construct.kompose;
  const type = publishedType(chart, service);
  return kubeObject(k8s.KubeService, chart, `${service}-published-service`, {
    metadata: { name: suffixed(construct.kubernetesName, 'published'), labels: construct.selector },
    spec: {
      type,
      selector: construct.selector,
      ports: publishedServicePorts(ports, chart.target, nodePort !== undefined),
      ...(externalTrafficPolicy ? { externalTrafficPolicy } : {}),
    },
  });
}

/** Where a kompose label of a service is written, for diagnostics about it. */
function labelDiagnostic(
  chart: ComposeChart,
  service: string,
  label: string,
  severity: Diagnostic['severity'],
  message: string,
): Diagnostic {
  const s = chart.project.services[service];
  return {
    severity,
    code: severity === 'error' ? 'invalid-kompose-label' : 'untranslated-key',
    service,
    path: `services.${service}.labels.${label}`,
    location: s.labelLocations[label] ?? s.keyLocations.labels ?? s.location,
    message,
  };
}

/**
 * The NodePort each service pins with kompose.service.nodeport.port: kompose allows it on a
 * service with one port; here that is one published port, whose Service it is set on.
 */
function pinnedNodePorts(chart: ComposeChart, diagnostics: Diagnostic[]): Map<string, number> {
  const pinned = new Map<string, number>();
  const owners = new Map<string, string>();
  const label = 'kompose.service.nodeport.port';
  for (const name of Object.keys(chart.project.services).sort()) {
    const pin = chart.services.get(name)?.kompose.nodePort;
    if (pin === undefined) continue;
    const s = chart.project.services[name];
    const published = uniquePorts(
      s.ports
        .filter((p) => p.published !== undefined)
        .map((p) => ({ port: p.published as number, protocol: p.protocol })),
    );
    if (published.length !== 1 || s.networkMode?.kind === 'host') {
      diagnostics.push(
        labelDiagnostic(
          chart,
          name,
          label,
          'error',
          published.length === 0 || s.networkMode?.kind === 'host'
            ? 'the service publishes no port to pin a NodePort on: add one under `ports:` ("8080:80")'
            : 'the service publishes several ports: a NodePort can be pinned for one only (kompose rejects this too)',
        ),
      );
      continue;
    }
    const key = `${published[0].protocol}/${pin}`;
    const owner = owners.get(key);
    if (owner !== undefined) {
      diagnostics.push(labelDiagnostic(chart, name, label, 'error', `NodePort ${pin} is already pinned by "${owner}"`));
      continue;
    }
    owners.set(key, name);
    pinned.set(name, pin);
  }
  return pinned;
}

/** Type and traffic policy labels on a service that publishes nothing have no Service to go on. */
function unpublishedTypeLabels(chart: ComposeChart, published: ReadonlyMap<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of Object.keys(chart.project.services).sort()) {
    const { serviceType, externalTrafficPolicy } = chart.services.get(name)?.kompose ?? {};
    if (published.has(name)) continue;
    if (serviceType === 'NodePort' || serviceType === 'LoadBalancer')
      out.push(
        labelDiagnostic(
          chart,
          name,
          'kompose.service.type',
          'warning',
          `not translated: the service publishes no port; the ${serviceType} Service is made for published ports (\`ports: ["8080:80"]\`)`,
        ),
      );
    if (externalTrafficPolicy)
      out.push(
        labelDiagnostic(
          chart,
          name,
          'kompose.service.external-traffic-policy',
          'warning',
          'not translated: the service publishes no port, and the in-cluster Service has no external traffic',
        ),
      );
  }
  return out;
}

function addIngress(chart: ComposeChart, request: IngressRequest): ApiObject {
  const construct = chart.service(request.service);
  const byHost = new Map<string, IngressRequest['routes'][number][]>();
  for (const route of request.routes) {
    const host = route.host ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), route]);
  }
  const rules = [...byHost.entries()].map(([host, routes]) => ({
    host: host || undefined,
    http: {
      paths: routes.map((route) => ({
        path: route.path,
        pathType: route.pathType ?? 'Prefix',
        backend: { service: { name: construct.kubernetesName, port: { number: route.port } } },
      })),
    },
  }));
  const hosts = [...byHost.keys()].filter((h) => h !== '');
  // Without a secretName the ingress controller serves the hosts with its default certificate.
  const tls = request.tlsSecretName
    ? [{ hosts: hosts.length > 0 ? hosts : undefined, secretName: request.tlsSecretName }]
    : request.tlsHosts && request.tlsHosts.length > 0
      ? [{ hosts: [...request.tlsHosts] }]
      : undefined;
  return kubeObject(k8s.KubeIngress, chart, `${request.service}-ingress`, {
    metadata: { name: construct.kubernetesName, labels: construct.selector },
    spec: { ingressClassName: request.className, tls, rules },
  });
}

/** Lets traffic from anywhere reach the ports a service publishes or serves through the Ingress. */
function addOutsideAccessPolicy(chart: ComposeChart, service: string, ports: readonly PortKey[]): ApiObject {
  const construct = chart.service(service);
  return kubeObject(k8s.KubeNetworkPolicy, chart, `${service}-outside-access`, {
    metadata: { name: suffixed(construct.kubernetesName, 'from-outside'), labels: construct.selector },
    spec: {
      podSelector: { matchLabels: construct.selector },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: uniquePorts(ports)
            .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))
            .map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: k8sProtocol(p.protocol) })),
        },
      ],
    },
  });
}

export function addNamespace(chart: ComposeChart, namespace: string): ApiObject {
  const ns = kubeObject(k8s.KubeNamespace, chart, 'namespace', { metadata: { name: namespace } });
  // cdk8s stamps the chart's namespace on every object; a Namespace is cluster-scoped.
  ns.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return ns;
}

const ALL_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * `host_ip` binds a published port to one address of the host (`127.0.0.1`: this machine only).
 * kind's cluster config keeps it (listenAddress); a NodePort or LoadBalancer elsewhere listens on
 * every address it has, so the restriction is reported.
 */
function hostAddressDiagnostics(chart: ComposeChart): Diagnostic[] {
  if (chart.target === 'kind') return [];
  return Object.values(chart.project.services).flatMap((service) =>
    service.ports
      .filter((p) => p.hostIp !== undefined && !ALL_ADDRESSES.has(p.hostIp) && p.published !== undefined)
      .flatMap((p): Diagnostic[] => {
        if (p.key === undefined) return [];
        const long = service.keys.some((k) => k.path === `${p.key}.host_ip`);
        const key = long ? `${p.key}.host_ip` : p.key;
        const where =
          chart.target === 'generic'
            ? 'the LoadBalancer Service takes an address of its own, reachable by anyone who reaches it (restrict it with loadBalancerSourceRanges or a firewall)'
            : 'the NodePort listens on every address of the minikube node';
        return [
          {
            severity: 'warning',
            code: 'partly-translated',
            service: service.name,
            path: `${childPath('services', service.name)}.${key}`,
            location: keyLocation(service, key),
            message: `port ${p.published} is published on ${p.hostIp} only under Compose: ${where}`,
          },
        ];
      }),
  );
}

/** Adds the objects that make the stack reachable from outside, and returns what it decided. */
export function addExposure(chart: ComposeChart): StackExposure {
  const diagnostics: Diagnostic[] = hostAddressDiagnostics(chart);
  const { assigned, unassigned } = assignNodePorts(chart.project, pinnedNodePorts(chart, diagnostics));
  for (const port of unassigned) {
    diagnostics.push({
      severity: 'warning',
      code: 'node-ports-exhausted',
      service: port.service,
      message: `port ${port.published}/${port.protocol} is not published: all NodePorts of the range 30000-32767 are used`,
    });
  }
  // A CronJob's pods come and go on its schedule: nothing to publish or route to.
  const isCronJob = (service: string) => chart.service(service).workloadKind === 'CronJob';
  const exposed = assigned
    .filter((p) => !isCronJob(p.service))
    .map((p) => ({
      ...p,
      serviceType: publishedType(chart, p.service),
      ...(chart.service(p.service).kompose.nodePort !== undefined ? { pinned: true } : {}),
    }));
  const published = groupByService(exposed);
  const publishedServices = new Map<string, ApiObject>();
  for (const [service, ports] of published) publishedServices.set(service, addPublishedService(chart, service, ports));
  diagnostics.push(...unpublishedTypeLabels(chart, published));

  const ingresses: IngressRequest[] = [];
  const ingressObjects = new Map<string, ApiObject>();
  for (const name of Object.keys(chart.project.services).sort()) {
    const construct = chart.services.get(name);
    const result = ingressRequestFor(chart.project.services[name], construct?.kompose, construct?.traefik.request);
    diagnostics.push(...result.diagnostics);
    if (result.request && isCronJob(name)) {
      diagnostics.push({
        severity: 'warning',
        code: 'untranslated-key',
        service: name,
        path: `services.${name}`,
        location: chart.project.services[name].location,
        message: 'not translated: a CronJob gets no Service, so no Ingress routes to it',
      });
    } else if (result.request) {
      ingresses.push(result.request);
      ingressObjects.set(name, addIngress(chart, result.request));
    }
  }

  const outside = new Map<string, PortKey[]>();
  for (const p of exposed)
    outside.set(p.service, [...(outside.get(p.service) ?? []), { port: p.target, protocol: p.protocol }]);
  for (const request of ingresses) {
    const ports = request.routes.map((r) => ({ port: r.port, protocol: 'tcp' as const }));
    outside.set(request.service, [...(outside.get(request.service) ?? []), ...ports]);
  }
  const outsideAccessPolicies = new Map<string, ApiObject>();
  for (const [service, ports] of [...outside.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (chart.project.services[service].networkMode?.kind === 'host') continue;
    outsideAccessPolicies.set(service, addOutsideAccessPolicy(chart, service, ports));
  }

  return { published: exposed, ingresses, diagnostics, publishedServices, ingressObjects, outsideAccessPolicies };
}
