/**
 * The Kubernetes side of a Compose stack's reverse proxy or HTTPS front: an Ingress that routes
 * path prefixes to the translated Services. Routes name Compose services and container ports, so
 * a typo in a route fails the synth instead of producing an Ingress that routes nowhere.
 */
import { k8s } from 'cdk8s-plus-27';
import type { ComposeProject } from '../lib/compose/model';
import type { ComposeChart } from '../lib/chart/compose-chart';

export interface IngressRoute {
  /** Path prefix, as nginx's `location /api/` (Ingress Prefix matching is per path segment). */
  readonly path: string;
  /** Compose service name. */
  readonly service: string;
  /** Container port of that service, as the proxy addressed it (`backend:8000`). */
  readonly port: number;
}

export interface SeedIngressOptions {
  /** `metadata.name` of the Ingress. */
  readonly name: string;
  readonly host?: string;
  /** Secret holding the TLS certificate; the user creates it (it is not part of the stack). */
  readonly tlsSecretName?: string;
  readonly routes: readonly IngressRoute[];
}

function servicePorts(project: ComposeProject, name: string): number[] {
  const service = project.services[name];
  if (!service) throw new Error(`ingress route to unknown Compose service ${name}`);
  return [...service.ports.map((p) => p.target), ...service.expose.map((p) => p.port)];
}

function backendFor(chart: ComposeChart, project: ComposeProject, route: IngressRoute): k8s.IngressBackend {
  if (!servicePorts(project, route.service).includes(route.port)) {
    throw new Error(`ingress route ${route.path}: Compose service ${route.service} has no port ${route.port}`);
  }
  const name = chart.service(route.service).kubernetesName;
  return { service: { name, port: { number: route.port } } };
}

export function addIngress(chart: ComposeChart, project: ComposeProject, options: SeedIngressOptions): k8s.KubeIngress {
  const paths = options.routes.map((route) => ({
    path: route.path,
    pathType: 'Prefix',
    backend: backendFor(chart, project, route),
  }));
  return new k8s.KubeIngress(chart, `${options.name}-ingress`, {
    metadata: { name: options.name },
    spec: {
      ingressClassName: 'nginx',
      tls: options.tlsSecretName
        ? [{ hosts: options.host ? [options.host] : undefined, secretName: options.tlsSecretName }]
        : undefined,
      rules: [{ host: options.host, http: { paths } }],
    },
  });
}
