/**
 * A service's Traefik labels, grouped as Traefik reads them: `traefik.enable`, one group per
 * HTTP router, HTTP service and middleware (`traefik.http.routers.<name>.*`), one per TCP or UDP
 * router and service, the provider's own options (`traefik.docker.*`), and the rest. Traefik reads
 * label names case-insensitively, so options are keyed in lower case; each keeps its label as
 * written, for findings at its line.
 */
import type { ComposeService } from '../compose/model';

export interface TraefikLabel {
  /** As written (`traefik.http.routers.api.entryPoints`). */
  readonly label: string;
  readonly value: string;
}

export interface TraefikGroup {
  /** The account row of the group: `labels.traefik.http.routers.api`. */
  readonly key: string;
  readonly name: string;
  /** Its first label, where findings about the whole group point. */
  readonly first: string;
  /** Options by lower-case name after the group's prefix (`rule`, `tls.certresolver`, `loadbalancer.server.port`). */
  readonly options: ReadonlyMap<string, TraefikLabel>;
}

export interface TraefikLabels {
  readonly enable?: TraefikLabel;
  readonly routers: readonly TraefikGroup[];
  readonly services: readonly TraefikGroup[];
  readonly middlewares: readonly TraefikGroup[];
  /** TCP and UDP routers, services and middlewares: an Ingress routes HTTP only. */
  readonly streams: readonly TraefikGroup[];
  /** `traefik.docker.*` and `traefik.swarm.*`: options of the provider for this container. */
  readonly provider: readonly TraefikLabel[];
  /** Labels under `traefik.` that are none of the above (Traefik v1's `traefik.frontend.rule`...). */
  readonly unknown: readonly TraefikLabel[];
}

export const isTraefikLabel = (label: string): boolean => /^traefik\./i.test(label);

const GROUPED = /^traefik\.(http|tcp|udp)\.(routers|services|middlewares)\.([^.]+)(?:\.(.+))?$/i;

class GroupSet {
  private readonly groups = new Map<
    string,
    { key: string; name: string; first: string; options: Map<string, TraefikLabel> }
  >();

  add(prefix: string, name: string, option: string | undefined, entry: TraefikLabel): void {
    const id = `${prefix.toLowerCase()}.${name}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { key: `labels.${prefix}.${name}`, name, first: entry.label, options: new Map() };
      this.groups.set(id, group);
    }
    group.options.set((option ?? '').toLowerCase(), entry);
  }

  list(): TraefikGroup[] {
    return [...this.groups.values()];
  }
}

export function traefikLabels(service: ComposeService): TraefikLabels | undefined {
  const names = Object.keys(service.labels).filter(isTraefikLabel);
  if (names.length === 0) return undefined;
  const routers = new GroupSet();
  const services = new GroupSet();
  const middlewares = new GroupSet();
  const streams = new GroupSet();
  const provider: TraefikLabel[] = [];
  const unknown: TraefikLabel[] = [];
  let enable: TraefikLabel | undefined;
  for (const label of names) {
    const entry = { label, value: service.labels[label] };
    const grouped = GROUPED.exec(label);
    if (label.toLowerCase() === 'traefik.enable') enable = entry;
    else if (grouped) {
      const [, protocol, kind, name, option] = grouped;
      const prefix = label.slice(0, 'traefik.'.length + protocol.length + 1 + kind.length);
      const set =
        protocol.toLowerCase() !== 'http'
          ? streams
          : kind.toLowerCase() === 'routers'
            ? routers
            : kind.toLowerCase() === 'services'
              ? services
              : middlewares;
      set.add(prefix, name, option, entry);
    } else if (/^traefik\.(docker|swarm)\./i.test(label)) provider.push(entry);
    else unknown.push(entry);
  }
  return {
    enable,
    routers: routers.list(),
    services: services.list(),
    middlewares: middlewares.list(),
    streams: streams.list(),
    provider,
    unknown,
  };
}

/** Every group and lone label, as the account's rows: `[key, first label]`. */
export function rowKeys(labels: TraefikLabels): { key: string; first: string }[] {
  const lone = (l: TraefikLabel) => ({ key: `labels.${l.label}`, first: l.label });
  return [
    ...(labels.enable ? [lone(labels.enable)] : []),
    ...[...labels.routers, ...labels.services, ...labels.middlewares, ...labels.streams].map((g) => ({
      key: g.key,
      first: g.first,
    })),
    ...labels.provider.map(lone),
    ...labels.unknown.map(lone),
  ];
}
