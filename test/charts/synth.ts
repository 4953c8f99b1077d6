/** Builds one seed chart in a fresh test app and returns its manifests, plus readers for them. */
import { Testing } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import { podTemplates, type Manifest } from '../support/references';

export function synthSeed(id: string): Manifest[] {
  const seed = SEED_CHARTS.find((s) => s.id === id);
  if (!seed) throw new Error(`no seed chart ${id}`);
  return Testing.synth(seed.build(Testing.app())) as Manifest[];
}

export interface ContainerView {
  readonly owner: string;
  readonly podSpec: Readonly<Record<string, unknown>>;
  readonly replicas?: number;
  readonly container: Readonly<Record<string, unknown>>;
}

/** Every main container of every workload, with its pod spec. */
export function containers(manifests: readonly Manifest[]): ContainerView[] {
  const replicasOf = new Map(
    manifests.map((m) => [`${String(m.kind)}/${String((m.metadata as { name: string }).name)}`, m.spec]),
  );
  return podTemplates(manifests).flatMap((pod) => {
    const spec = replicasOf.get(pod.owner) as { replicas?: number } | undefined;
    const list = (pod.spec.containers ?? []) as Record<string, unknown>[];
    return list.map((container) => ({ owner: pod.owner, podSpec: pod.spec, replicas: spec?.replicas, container }));
  });
}

/** The container that listens on `port` (the Compose service's container). */
export function containerListeningOn(manifests: readonly Manifest[], port: number, protocol = 'TCP'): ContainerView {
  const found = containers(manifests).filter((c) =>
    ((c.container.ports ?? []) as { containerPort: number; protocol?: string }[]).some(
      (p) => p.containerPort === port && (p.protocol ?? 'TCP') === protocol,
    ),
  );
  if (found.length !== 1) throw new Error(`expected one container on ${port}/${protocol}, found ${found.length}`);
  return found[0];
}

/** "2", "2000m" or 2 -> 2 cores. */
export function cpuCores(quantity: unknown): number {
  const text = String(quantity);
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

const BINARY_UNITS: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL_UNITS: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** "1Gi", "1024Mi" or "1073741824" -> bytes. */
export function memoryBytes(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(quantity));
  if (!match) throw new Error(`not a quantity: ${String(quantity)}`);
  const unit = match[2];
  const factor = BINARY_UNITS[unit] ?? DECIMAL_UNITS[unit] ?? (unit === '' ? 1 : NaN);
  return Number(match[1]) * factor;
}

export function ingressRoutes(manifests: readonly Manifest[], name: string): Record<string, string> {
  const ingress = manifests.find((m) => m.kind === 'Ingress' && (m.metadata as { name: string }).name === name) as
    | {
        spec: {
          rules: {
            http: {
              paths: {
                path: string;
                pathType: string;
                backend: { service: { name: string; port: { number: number } } };
              }[];
            };
          }[];
        };
      }
    | undefined;
  if (!ingress) throw new Error(`no Ingress ${name}`);
  const routes: Record<string, string> = {};
  for (const path of ingress.spec.rules.flatMap((r) => r.http.paths)) {
    routes[`${path.pathType} ${path.path}`] = `${path.backend.service.name}:${path.backend.service.port.number}`;
  }
  return routes;
}
