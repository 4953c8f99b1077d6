/**
 * HTTP routing requests of a Compose service: the `x-k8s.ingress` extension, or the
 * `kompose.service.expose` label family so kompose users keep their files, or the service's
 * Traefik labels (traefik-labels.ts).
 *
 *   x-k8s:
 *     ingress:                      # or a list of these
 *       host: shop.example.com      # optional: any host
 *       paths: [/, /api]            # default [/]
 *       port: 8000                  # default: the service's first port
 *       tls: { secretName: shop-tls }
 *       className: nginx            # default nginx
 *
 *   labels:
 *     kompose.service.expose: "shop.example.com/api,admin.example.com"   # or "true"
 *     kompose.service.expose.tls-secret: shop-tls
 *     kompose.service.expose.ingress-class-name: nginx
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeService } from '../compose/model';
import type { IngressK8s } from '../compose/normalize/x-k8s';
import type { KomposeOptions } from '../translate/kompose-labels';

export const DEFAULT_INGRESS_CLASS = 'nginx';

export interface IngressRoute {
  readonly host?: string;
  readonly path: string;
  /** `Exact` for Traefik's `Path`; `Prefix` (the default) matches the path and everything under it. */
  readonly pathType?: 'Prefix' | 'Exact';
  readonly port: number;
}

export interface IngressRequest {
  readonly service: string;
  readonly className: string;
  readonly routes: readonly IngressRoute[];
  readonly tlsSecretName?: string;
  /**
   * Hosts served over TLS without a Secret of their own (Traefik's `tls=true`): the ingress
   * controller's default certificate serves them, as Traefik's default one does.
   */
  readonly tlsHosts?: readonly string[];
}

export interface IngressRequestResult {
  readonly request?: IngressRequest;
  readonly diagnostics: readonly Diagnostic[];
}

function firstPort(service: ComposeService): number | undefined {
  return service.ports[0]?.target ?? service.expose[0]?.port;
}

function servicePorts(service: ComposeService): Set<number> {
  return new Set([...service.ports.map((p) => p.target), ...service.expose.map((p) => p.port)]);
}

function problem(service: ComposeService, key: string, message: string): Diagnostic {
  return {
    severity: 'error',
    code: 'invalid-ingress',
    service: service.name,
    path: `services.${service.name}.${key}`,
    message,
    location: service.keyLocations[key],
  };
}

function normalizePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** Types were checked when loading (normalize/x-k8s.ts); what is left is checking against the service. */
function fromExtension(
  service: ComposeService,
  entries: readonly IngressK8s[],
  diagnostics: Diagnostic[],
): IngressRequest | undefined {
  const routes: IngressRoute[] = [];
  let tlsSecretName: string | undefined;
  let className = DEFAULT_INGRESS_CLASS;
  for (const entry of entries) {
    const host = entry.host;
    const paths = entry.paths ?? entry.path ?? ['/'];
    const port = entry.port ?? firstPort(service);
    if (port === undefined) {
      diagnostics.push(
        problem(service, 'x-k8s', 'x-k8s.ingress needs a port: the service declares none in ports or expose'),
      );
      continue;
    }
    if (!servicePorts(service).has(port)) {
      diagnostics.push(
        problem(service, 'x-k8s', `x-k8s.ingress.port ${port} is not a port of the service (ports/expose)`),
      );
      continue;
    }
    if (entry.tls?.secretName !== undefined) tlsSecretName = entry.tls.secretName;
    if (entry.className !== undefined) className = entry.className;
    for (const path of paths) routes.push({ host, path: normalizePath(path), port });
  }
  return routes.length > 0 ? { service: service.name, className, routes, tlsSecretName } : undefined;
}

/** `"true"`, or comma-separated `host[/path]` entries (`true` among them: any host), as kompose reads the label. */
function fromKomposeLabels(
  service: ComposeService,
  kompose: KomposeIngressLabels,
  diagnostics: Diagnostic[],
): IngressRequest | undefined {
  const expose = kompose.expose;
  if (expose === undefined) return undefined;
  const port = firstPort(service);
  if (port === undefined) {
    diagnostics.push({
      ...problem(
        service,
        'labels',
        'kompose.service.expose needs a port: the service declares none in ports or expose',
      ),
      path: `services.${service.name}.labels.kompose.service.expose`,
      location: service.labelLocations['kompose.service.expose'] ?? service.keyLocations.labels,
    });
    return undefined;
  }
  const routes: IngressRoute[] = [];
  // Entries were checked where the label is read (kompose-expose.ts); `true` is any host, as in kompose.
  for (const item of expose.split(',')) {
    const slash = item.indexOf('/');
    const host = slash === -1 ? item : item.slice(0, slash);
    const path = slash === -1 ? '/' : item.slice(slash);
    routes.push({ host: host && host !== 'true' ? host : undefined, path, port });
  }
  return {
    service: service.name,
    className: kompose.exposeIngressClass ?? DEFAULT_INGRESS_CLASS,
    routes,
    tlsSecretName: kompose.exposeTlsSecret,
  };
}

export type KomposeIngressLabels = Pick<KomposeOptions, 'expose' | 'exposeTlsSecret' | 'exposeIngressClass'>;

/**
 * `traefik`: the routes of the service's Traefik labels (traefik-labels.ts), which x-k8s.ingress
 * and kompose.service.expose, written for the cluster, replace.
 */
export function ingressRequestFor(
  service: ComposeService,
  kompose: KomposeIngressLabels = {},
  traefik?: IngressRequest,
): IngressRequestResult {
  const diagnostics: Diagnostic[] = [];
  const ingress = service.k8s.ingress;
  const fromExt = ingress !== undefined ? fromExtension(service, ingress, diagnostics) : undefined;
  const request = fromExt ?? fromKomposeLabels(service, kompose, diagnostics) ?? traefik;
  return { request, diagnostics };
}
