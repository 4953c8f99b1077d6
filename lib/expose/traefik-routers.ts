/**
 * One Traefik HTTP router of a service (`traefik.http.routers.<name>.*`) as Ingress routes: its
 * rule's hosts and paths, the port of the Traefik service it sends to, and TLS. What an Ingress
 * cannot say is returned as findings at the label that says it.
 */
import type { ComposeService } from '../compose/model';
import { dropped, note, partial, type Finding } from '../translate/findings';
import type { IngressRoute } from './ingress-rules';
import type { TraefikGroup, TraefikLabel, TraefikLabels } from './traefik-label-groups';
import { goBool, type TraefikProxy } from './traefik-proxy';
import { translateRule } from './traefik-rules';

export interface RouterOutcome {
  readonly routes: readonly IngressRoute[];
  /** Hosts served over TLS (the router has `tls`). */
  readonly tlsHosts: readonly string[];
  readonly findings: readonly Finding[];
  /** The Traefik service whose port it uses (undefined: the container's default service). */
  readonly service?: TraefikGroup;
  /** The port, when it is not one the service declares under ports or expose. */
  readonly undeclaredPort?: number;
}

const key = (l: TraefikLabel) => `labels.${l.label}`;

/** The ports Compose says the container listens on (TCP), lowest first. */
function declaredPorts(service: ComposeService): number[] {
  const ports = [
    ...service.ports.filter((p) => p.protocol === 'tcp').map((p) => p.target),
    ...service.expose.filter((p) => p.protocol === 'tcp').map((p) => p.port),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}

type Port = { readonly port: number; readonly undeclared: boolean } | { readonly problem: Finding };

/**
 * `loadbalancer.server.port`, else what Traefik takes: the lowest port the container exposes. Of
 * those Compose shows the ones under ports and expose; the image's EXPOSE it cannot see.
 */
function portOf(service: ComposeService, target: TraefikGroup | undefined, routerKey: string): Port {
  const label = target?.options.get('loadbalancer.server.port');
  const declared = declaredPorts(service);
  if (label) {
    const n = Number(label.value.trim());
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      return { problem: dropped(key(label), `"${label.value}" is no port (Traefik rejects it too)`) };
    return { port: n, undeclared: !declared.includes(n) };
  }
  if (declared.length > 0) return { port: declared[0], undeclared: false };
  const where = target
    ? `${target.key.slice('labels.'.length)}.loadbalancer.server.port`
    : 'a loadbalancer.server.port label';
  return {
    problem: dropped(
      routerKey,
      `Traefik sends to the lowest port the container exposes, and the service declares none (the image's EXPOSE is not visible here): set ${where}, or list the port under expose`,
    ),
  };
}

/** The Traefik service a router sends to, as Traefik picks it, or why it cannot be followed. */
function targetOf(router: TraefikGroup, labels: TraefikLabels): { target?: TraefikGroup } | { problem: Finding } {
  const named = router.options.get('service');
  if (named) {
    const name = named.value.trim();
    if (name.includes('@'))
      return {
        problem: dropped(
          key(named),
          `${name} is a service of another provider${name.endsWith('@internal') ? " (Traefik's own dashboard or API)" : ''}: the cluster's ingress controller has no such service`,
        ),
      };
    const target = labels.services.find((s) => s.name === name);
    if (!target)
      return {
        problem: dropped(
          key(named),
          `service ${name} is not defined by this service's labels: an Ingress routes to the service it belongs to`,
        ),
      };
    return { target };
  }
  if (labels.services.length > 1)
    return {
      problem: dropped(
        router.key,
        `the labels define ${labels.services.length} services and the router names none (Traefik rejects it too): set ${router.key.slice('labels.'.length)}.service`,
      ),
    };
  return { target: labels.services[0] };
}

const STANDARD_PORTS = new Set([80, 443]);

/** Entry points on other ports than 80 and 443: the ingress controller listens on those two. */
function entryPointFindings(router: TraefikGroup, proxy: TraefikProxy | undefined): Finding[] {
  const label = router.options.get('entrypoints');
  if (!label || !proxy || proxy.entryPoints.size === 0) return [];
  const names = label.value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !proxy.entryPoints.has(n.toLowerCase()));
  const odd = names.flatMap((n) => {
    const port = proxy.entryPoints.get(n.toLowerCase());
    return port !== undefined && !STANDARD_PORTS.has(port) ? [`${n} (:${port})`] : [];
  });
  const out: Finding[] = [];
  if (odd.length > 0)
    out.push(
      partial(
        key(label),
        `the ingress controller serves the route on ports 80 and 443 (HTTPS), not on entry point ${odd.join(', ')} of ${proxy.service}`,
      ),
    );
  if (unknown.length > 0)
    out.push(
      partial(
        key(label),
        `${proxy.service} defines no entry point ${unknown.join(', ')}: the ingress controller serves the route on ports 80 and 443`,
      ),
    );
  return out;
}

/** Router options besides rule, service and entrypoints. */
function optionFindings(router: TraefikGroup, tlsHosts: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const [option, label] of router.options) {
    if (['rule', 'service', 'entrypoints', 'tls', 'rulesyntax'].includes(option)) continue;
    if (option === 'tls.certresolver') {
      const hosts = tlsHosts.length > 0 ? tlsHosts.join(', ') : 'the routes';
      out.push(
        partial(
          key(label),
          `Traefik gets the certificates from its resolver ${label.value} (ACME); in the cluster cert-manager does: annotate the Ingress with cert-manager.io/cluster-issuer and name the TLS Secret (x-k8s.ingress tls.secretName). Until then the ingress controller's default certificate serves ${hosts}`,
        ),
      );
    } else if (option === 'middlewares') {
      out.push(
        dropped(
          key(label),
          `an Ingress has no middlewares (${label.value}): the ingress controller does such things with annotations of its own (see the warning at each middleware)`,
        ),
      );
    } else if (option === 'priority') {
      out.push(
        partial(
          key(label),
          'ingress controllers match the longest path first, whatever the priority: routers that overlap may answer in another order',
        ),
      );
    } else {
      out.push(dropped(key(label), `an Ingress has no such setting (${option})`));
    }
  }
  return out;
}

export function translateRouter(
  service: ComposeService,
  router: TraefikGroup,
  labels: TraefikLabels,
  proxy: TraefikProxy | undefined,
): RouterOutcome {
  const none = (finding: Finding, extra: Finding[] = []): RouterOutcome => ({
    routes: [],
    tlsHosts: [],
    findings: [finding, ...extra],
  });
  const ruleLabel = router.options.get('rule');
  if (!ruleLabel)
    return none(
      dropped(
        router.key,
        'no rule: Traefik matches its defaultRule (a Host named after the container, unless the provider sets another), which is not guessed here: give the router a rule',
      ),
    );
  const rule = translateRule(ruleLabel.value);
  // The whole router is lost, for what its rule says: the finding points at the rule.
  const atRule = (message: string): Finding => ({
    ...dropped(router.key, message),
    location: service.labelLocations[ruleLabel.label],
  });
  if (rule.error !== undefined)
    return none(atRule(`the rule does not parse (${rule.error}); Traefik rejects the router too`));
  if (rule.routes.length === 0)
    return none(atRule(`the rule has nothing an Ingress can say: ${rule.untranslated.join('; ')}`));
  const target = targetOf(router, labels);
  if ('problem' in target) return none(target.problem);
  const port = portOf(service, target.target, router.key);
  if ('problem' in port) return none(port.problem);

  const findings: Finding[] = [];
  if (rule.untranslated.length > 0)
    findings.push(partial(key(ruleLabel), `only in part: ${rule.untranslated.join('; ')}`));
  const routes: IngressRoute[] = rule.routes.flatMap((r) =>
    (r.hosts.length > 0 ? r.hosts : [undefined]).map((host) => ({
      host,
      path: r.path.path,
      pathType: r.path.pathType,
      port: port.port,
    })),
  );
  const tlsLabel = router.options.get('tls');
  const tlsOptions = [...router.options.keys()].some((o) => o.startsWith('tls.'));
  const tls = tlsLabel ? goBool(tlsLabel.value) === true : tlsOptions;
  const tlsHosts = tls ? [...new Set(routes.flatMap((r) => (r.host ? [r.host] : [])))] : [];
  if (tls && tlsLabel)
    findings.push(
      note(
        key(tlsLabel),
        tlsHosts.length > 0
          ? "a TLS entry without a Secret: the ingress controller's default certificate serves it, as Traefik's default one does; name a Secret with x-k8s.ingress tls.secretName"
          : "no host to list under the Ingress's TLS: the ingress controller serves every route on 443 with its default certificate",
      ),
    );
  findings.push(...entryPointFindings(router, proxy), ...optionFindings(router, tlsHosts));
  if (port.undeclared) {
    const at = target.target?.options.get('loadbalancer.server.port');
    if (at)
      findings.push(
        note(
          key(at),
          `port ${port.port} is not under ports or expose: the Service gets it, since Traefik connects to the container on it`,
        ),
      );
  }
  return {
    routes,
    tlsHosts,
    findings,
    service: target.target,
    ...(port.undeclared ? { undeclaredPort: port.port } : {}),
  };
}
