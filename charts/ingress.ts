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
  /** Controller settings the proxy had (ingress-nginx annotations). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The largest `client_max_body_size` an nginx config sets, in nginx's notation (`100m`): the
 * Ingress must accept the uploads the proxy accepted (ingress-nginx's default is 1m).
 */
export function clientMaxBodySize(nginxConf: string): string | undefined {
  const bytes = (v: string) => Number(v.slice(0, -1)) * ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[v.slice(-1)] ?? 1);
  const sizes = [...nginxConf.replace(/#.*$/gm, '').matchAll(/\bclient_max_body_size\s+(\d+[kKmMgG]?)\s*;/g)].map(
    (m) => (/[kmg]$/i.test(m[1]) ? m[1].toLowerCase() : `${m[1]}b`),
  );
  if (sizes.length === 0) return undefined;
  const largest = sizes.sort((a, b) => bytes(b) - bytes(a))[0];
  return largest.endsWith('b') ? largest.slice(0, -1) : largest;
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
    metadata: { name: options.name, ...(options.annotations ? { annotations: { ...options.annotations } } : {}) },
    spec: {
      ingressClassName: 'nginx',
      tls: options.tlsSecretName
        ? [{ hosts: options.host ? [options.host] : undefined, secretName: options.tlsSecretName }]
        : undefined,
      rules: [{ host: options.host, http: { paths } }],
    },
  });
}
