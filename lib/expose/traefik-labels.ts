/**
 * Traefik's Docker labels -> the service's Ingress, so a stack routed by Traefik keeps its routes:
 *
 *   labels:
 *     traefik.enable: "true"
 *     traefik.http.routers.api.rule: Host(`shop.example.com`) && PathPrefix(`/api`)
 *     traefik.http.routers.api.entrypoints: websecure
 *     traefik.http.routers.api.tls: "true"
 *     traefik.http.services.api.loadbalancer.server.port: "8000"
 *
 * Each router's rule becomes Ingress rules (Host -> host, PathPrefix -> a Prefix path, Path -> an
 * Exact one; `||` -> several), to the port of the Traefik service it sends to (or the lowest port
 * the service declares, as Traefik takes), with TLS for its hosts when it has `tls`. Whether the
 * service is routed at all follows `traefik.enable` and the stack's Traefik container
 * (`--providers.docker.exposedbydefault=false`). What an Ingress cannot say (regular expressions,
 * headers, middlewares, TCP routers...) is reported at its label. Every group of labels (a router,
 * a service, a middleware) is a row of the service's account.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import type { ExtraRow } from '../translate/account';
import { dropped, partial, type Finding } from '../translate/findings';
import { on, type FieldRef } from '../translate/key-rules';
import { DEFAULT_INGRESS_CLASS, type IngressRequest, type IngressRoute } from './ingress-rules';
import { rowKeys, traefikLabels, type TraefikGroup, type TraefikLabels } from './traefik-label-groups';
import { goBool, replaceableProxyFinding, traefikProxies, type TraefikProxy } from './traefik-proxy';
import { translateRouter, type RouterOutcome } from './traefik-routers';

export { isTraefikLabel } from './traefik-label-groups';

export interface TraefikRouting {
  /** The routes of the service's routers, for its Ingress; undefined when none is translated. */
  readonly request?: IngressRequest;
  /** Ports Traefik connects to that the service does not declare: they join its Service's ports. */
  readonly ports: readonly number[];
  /** What is not translated, at its label; and about a Traefik container, that it can be left out. */
  readonly findings: readonly Finding[];
  /** A row per router, service, middleware and other label, for the account. */
  readonly rows: readonly ExtraRow[];
  /** The service is a Traefik that routes only by the stack's Docker labels: the ingress controller replaces it. */
  readonly replaceableProxy?: boolean;
}

const NOTHING: TraefikRouting = { ports: [], findings: [], rows: [] };

const RULES = on('ingress', 'spec.rules');
const TLS = on('ingress', 'spec.tls');
const BACKEND_PORT = on('ingress', 'spec.rules[].http.paths[].backend.service.port.number');

/** Why Traefik leaves the service alone, when it does. */
function ignoredBecause(labels: TraefikLabels, proxy: TraefikProxy | undefined): string | undefined {
  if (labels.enable) {
    const enabled = goBool(labels.enable.value);
    if (enabled === false) return 'traefik.enable=false: Traefik does not route the service, and no Ingress does';
    if (enabled === true) return undefined;
    return `"${labels.enable.value}" is not a boolean: Traefik cannot read the labels and leaves the service alone`;
  }
  if (proxy && !proxy.exposedByDefault)
    return `${proxy.service} routes only services labelled traefik.enable=true (exposedByDefault=false): no Ingress routes this one, as Traefik did not`;
  return undefined;
}

/** Which of x-k8s.ingress and kompose.service.expose routes the service instead, if one does. */
function routedOtherwise(service: ComposeService): string | undefined {
  if (service.k8s.ingress !== undefined) return 'x-k8s.ingress';
  if (service.labels['kompose.service.expose'] !== undefined) return 'the kompose.service.expose label';
  return undefined;
}

const MIDDLEWARE_HINTS: Readonly<Record<string, string>> = {
  redirectscheme: 'ingress-nginx redirects HTTP to HTTPS by itself for the hosts of an Ingress with TLS',
  stripprefix: 'ingress-nginx rewrites paths with nginx.ingress.kubernetes.io/rewrite-target',
  basicauth: 'ingress-nginx asks for a password with nginx.ingress.kubernetes.io/auth-type and auth-secret',
  forwardauth: 'ingress-nginx asks another service with nginx.ingress.kubernetes.io/auth-url',
  ratelimit: 'ingress-nginx limits requests with nginx.ingress.kubernetes.io/limit-rps',
  ipallowlist: 'ingress-nginx restricts clients with nginx.ingress.kubernetes.io/whitelist-source-range',
  ipwhitelist: 'ingress-nginx restricts clients with nginx.ingress.kubernetes.io/whitelist-source-range',
};

function middlewareFinding(group: TraefikGroup): Finding {
  const type = [...group.options.keys()][0]?.split('.')[0] ?? '';
  const hint = MIDDLEWARE_HINTS[type] ?? 'the ingress controller does such things with annotations of its own';
  return dropped(
    group.key,
    `Traefik middleware ${group.name}${type ? ` (${type})` : ''}: an Ingress has none; ${hint}`,
  );
}

/** Options of a Traefik service other than its port: the ingress controller's defaults stand. */
function serviceOptionFindings(group: TraefikGroup): Finding[] {
  return [...group.options].flatMap(([option, label]): Finding[] => {
    const at = `labels.${label.label}`;
    const value = label.value.trim().toLowerCase();
    if (option === 'loadbalancer.server.port') return [];
    if (option === 'loadbalancer.server.scheme' && value === 'http') return [];
    if (option === 'loadbalancer.passhostheader' && goBool(label.value) === true) return [];
    return [dropped(at, `an Ingress has no such setting: the ingress controller's defaults stand (${option})`)];
  });
}

function streamFinding(group: TraefikGroup): Finding {
  const udp = /^labels\.traefik\.udp\./i.test(group.key);
  return dropped(
    group.key,
    `an Ingress routes HTTP only, not ${udp ? 'UDP' : 'TCP'}: publish the port under ports for a NodePort or LoadBalancer Service`,
  );
}

function providerLabelRow(label: { label: string; value: string }): { nothing?: string; finding?: Finding } {
  if (/^traefik\.docker\.network$/i.test(label.label))
    return { nothing: 'every pod reaches every other on the cluster network: there is no network to choose' };
  return { finding: dropped(`labels.${label.label}`, 'an option of the Docker provider: no Ingress field says it') };
}

/** Rows that write nothing, each saying why (the service is not routed, or routed otherwise). */
function quietRows(labels: TraefikLabels, service: ComposeService, why: string): ExtraRow[] {
  return rowKeys(labels).map((r) => ({
    key: r.key,
    writes: [],
    location: service.labelLocations[r.first],
    nothing: why,
  }));
}

function routedRouting(
  service: ComposeService,
  labels: TraefikLabels,
  proxy: TraefikProxy | undefined,
): TraefikRouting {
  const findings: Finding[] = [];
  const writes = new Map<string, FieldRef[]>();
  const outcomes = new Map<TraefikGroup, RouterOutcome>();
  for (const router of labels.routers) {
    const outcome = translateRouter(service, router, labels, proxy);
    outcomes.set(router, outcome);
    findings.push(...outcome.findings);
    if (outcome.routes.length > 0) writes.set(router.key, outcome.tlsHosts.length > 0 ? [RULES, TLS] : [RULES]);
  }
  const routed = [...outcomes.values()].filter((o) => o.routes.length > 0);
  for (const group of labels.services) {
    findings.push(...serviceOptionFindings(group));
    const users = routed.filter((o) => o.service === group);
    if (users.length > 0) {
      writes.set(group.key, group.options.has('loadbalancer.server.port') ? [BACKEND_PORT] : [RULES]);
      if (users.some((o) => o.undeclaredPort !== undefined))
        writes.set(group.key, [BACKEND_PORT, on('service', 'spec.ports')]);
    } else if (labels.routers.length > 0)
      findings.push(dropped(group.key, 'no translated router sends to it (see the routers of the service)'));
  }
  if (labels.routers.length === 0 && labels.streams.length === 0) {
    // Traefik makes a router of its own, whose defaultRule is a Host named after the container.
    const first = labels.services[0]?.key ?? (labels.enable ? `labels.${labels.enable.label}` : undefined);
    if (first)
      findings.push(
        dropped(
          first,
          'no router: Traefik routes the container by its defaultRule (a Host named after the container, unless the provider sets another), which is not guessed here: add a router with a rule (traefik.http.routers.<name>.rule)',
        ),
      );
  }
  findings.push(...labels.middlewares.map(middlewareFinding), ...labels.streams.map(streamFinding));

  const tlsHosts = [...new Set(routed.flatMap((o) => o.tlsHosts))];
  const merged = mergeRoutes(outcomes);
  findings.push(...merged.findings, ...httpOfTlsHosts(outcomes, tlsHosts));
  const routes = merged.routes;
  const request: IngressRequest | undefined =
    routes.length > 0
      ? {
          service: service.name,
          className: DEFAULT_INGRESS_CLASS,
          routes,
          ...(tlsHosts.length > 0 ? { tlsHosts } : {}),
        }
      : undefined;
  if (labels.enable && request) writes.set(`labels.${labels.enable.label}`, [RULES]);

  const rows = rowKeys(labels).map((r): ExtraRow => {
    const provider = labels.provider.find((l) => `labels.${l.label}` === r.key);
    const row = { key: r.key, writes: writes.get(r.key) ?? [], location: service.labelLocations[r.first] };
    if (provider) {
      const { nothing, finding } = providerLabelRow(provider);
      if (finding) findings.push(finding);
      return nothing ? { ...row, nothing } : row;
    }
    if (labels.unknown.some((l) => `labels.${l.label}` === r.key))
      findings.push(
        dropped(r.key, 'not a Traefik v2 or v3 label of routers, services or middlewares (v1 labels are not read)'),
      );
    if (r.key === `labels.${labels.enable?.label}` && !request)
      return { ...row, nothing: 'no router of the service is translated (see their warnings)' };
    return row;
  });
  const ports = [...new Set(routed.flatMap((o) => (o.undeclaredPort !== undefined ? [o.undeclaredPort] : [])))];
  return {
    ...(request ? { request } : {}),
    ports,
    findings: findings.map((f) => locateGroup(f, service, labels)),
    rows,
  };
}

/** A finding about a whole group (a router, a middleware) points at the group's first label. */
function locateGroup(f: Finding, service: ComposeService, labels: TraefikLabels): Finding {
  if (f.location) return f;
  const row = rowKeys(labels).find((r) => r.key === f.key);
  const location = row ? service.labelLocations[row.first] : undefined;
  return location ? { ...f, location } : f;
}

/**
 * One route per host, path and path type: two routers may say the same. Said with another port,
 * the Ingress can keep one: the first router's, and the other is reported.
 */
function mergeRoutes(outcomes: ReadonlyMap<TraefikGroup, RouterOutcome>): {
  routes: IngressRoute[];
  findings: Finding[];
} {
  const seen = new Map<string, { port: number; router: TraefikGroup }>();
  const routes: IngressRoute[] = [];
  const findings: Finding[] = [];
  for (const [router, outcome] of outcomes) {
    for (const r of outcome.routes) {
      const id = `${r.host ?? '*'}${r.path} (${r.pathType ?? 'Prefix'})`;
      const first = seen.get(id);
      if (!first) {
        seen.set(id, { port: r.port, router });
        routes.push(r);
      } else if (first.port !== r.port)
        findings.push(
          partial(
            router.key,
            `${id} is routed by router ${first.router.name} too, to port ${first.port}: an Ingress sends a path to one port, so ${r.port} is left out`,
          ),
        );
    }
  }
  return { routes, findings };
}

/**
 * ingress-nginx redirects plain HTTP to HTTPS for the hosts of an Ingress with TLS, where a
 * Traefik router without TLS on the same host answered over HTTP (unless its middlewares,
 * reported already, redirected too).
 */
function httpOfTlsHosts(outcomes: ReadonlyMap<TraefikGroup, RouterOutcome>, tlsHosts: readonly string[]): Finding[] {
  return [...outcomes].flatMap(([router, outcome]) => {
    if (outcome.tlsHosts.length > 0 || router.options.has('middlewares')) return [];
    const hosts = [...new Set(outcome.routes.flatMap((r) => (r.host && tlsHosts.includes(r.host) ? [r.host] : [])))];
    if (hosts.length === 0) return [];
    return [
      partial(
        router.key,
        `${hosts.join(', ')} ${hosts.length > 1 ? 'have' : 'has'} TLS from another router, and ingress-nginx then redirects plain HTTP to HTTPS, where this router answered over HTTP (the nginx.ingress.kubernetes.io/ssl-redirect: "false" annotation keeps HTTP)`,
      ),
    ];
  });
}

/**
 * The Traefik routing of one service: its Ingress routes, the findings at its labels, its rows.
 * `unroutable`: why the service can have no Ingress (a CronJob has no Service to route to).
 */
export function traefikRouting(project: ComposeProject, service: ComposeService, unroutable?: string): TraefikRouting {
  const proxies = traefikProxies(project);
  const own = proxies.find((p) => p.service === service.name);
  const proxyFinding = own ? replaceableProxyFinding(own) : undefined;
  const withProxy = (r: TraefikRouting): TraefikRouting =>
    proxyFinding ? { ...r, findings: [...r.findings, proxyFinding], replaceableProxy: true } : r;
  const labels = traefikLabels(service);
  if (!labels) return withProxy(NOTHING);
  const proxy = proxies[0];
  const ignored = ignoredBecause(labels, proxy);
  if (ignored !== undefined) {
    const bad = labels.enable && goBool(labels.enable.value) === undefined;
    const findings = bad
      ? [
          partial(
            `labels.${labels.enable?.label}`,
            `"${labels.enable?.value}" is not a boolean: Traefik cannot read the labels and routes nothing`,
          ),
        ]
      : [];
    return withProxy({ ports: [], findings, rows: quietRows(labels, service, ignored) });
  }
  const other = routedOtherwise(service);
  const instead = other !== undefined ? `${other} routes the service instead` : unroutable;
  if (instead !== undefined) {
    const findings = labels.routers.map((r) => locateGroup(dropped(r.key, instead), service, labels));
    const rows = quietRows(labels, service, instead).map((r) =>
      labels.routers.some((g) => g.key === r.key) ? { ...r, nothing: undefined } : r,
    );
    return withProxy({ ports: [], findings, rows });
  }
  return withProxy(routedRouting(service, labels, proxy));
}
