/**
 * What the chart's values control, read back from the synthesized objects (the same ones the
 * plain `convert` writes) and the Compose model's service names: each service's workload, main
 * container, published Service, env ConfigMap; the Secrets and claims the stack creates; the
 * Ingress routes. The defaults of the values are these facts, so the chart rendered with its
 * default values is the plain output.
 */
import { podTemplateOf } from '../pod-template';
import type { ComposeChart } from '../chart/compose-chart';
import { ingressObjects } from '../output/ingress-objects';
import { suffixed } from '../translate/names';

export type Json = Record<string, unknown>;

export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

export interface PublishedFacts {
  readonly serviceName: string;
  readonly type: string;
  /** Service port name -> NodePort (null: the cluster picks one). */
  readonly nodePorts: Readonly<Record<string, number | null>>;
}

export interface ServiceFacts {
  /** The Compose service name: the key under `services`. */
  readonly name: string;
  readonly kubernetesName: string;
  readonly workloadKind: string;
  readonly image: ImageRef;
  readonly pullPolicy: string;
  /** Deployments only: Jobs run to completion, DaemonSets run one pod per node. */
  readonly replicas?: number;
  readonly resources: Json;
  /** Non-secret literal `env` values (env files are the chart's shared ConfigMaps, rendered as converted). */
  readonly env: Readonly<Record<string, string>>;
  readonly published?: PublishedFacts;
  readonly livenessProbe: boolean;
}

export interface SecretFacts {
  readonly name: string;
  readonly keys: readonly string[];
}

export interface ClaimFacts {
  readonly name: string;
  readonly size: string;
  readonly storageClass: string;
}

export interface RouteFacts {
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service: string;
  readonly port: number;
}

export interface IngressFacts {
  /** The Ingress object's name: the Kubernetes name of the service it routes to. */
  readonly name: string;
  readonly className: string;
  /** The Services its routes reach: the routes of `ingress.hosts` to these go to this Ingress. */
  readonly backends: readonly string[];
}

export interface ChartFacts {
  readonly services: readonly ServiceFacts[];
  readonly secrets: readonly SecretFacts[];
  readonly claims: readonly ClaimFacts[];
  readonly ingresses: readonly IngressFacts[];
  readonly routes: readonly RouteFacts[];
  readonly tls: readonly Json[];
  readonly namespace: string;
}

export const nameOf = (o: Json): string => String((o.metadata as Json | undefined)?.name ?? '');
export const labelsOf = (o: Json): Json => ((o.metadata as Json | undefined)?.labels as Json | undefined) ?? {};

/** `registry:5000/app:1.2@sha256:…` -> repository, tag, digest (each possibly empty). */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : '', digest };
}

export function podSpecOf(workload: Json): Json | undefined {
  return podTemplateOf(workload)?.spec as Json | undefined;
}

export function mainContainer(workload: Json, kubernetesName: string): Json | undefined {
  const containers = (podSpecOf(workload)?.containers ?? []) as Json[];
  return containers.find((c) => c.name === kubernetesName) ?? containers[0];
}

function serviceFacts(chart: ComposeChart, objects: readonly Json[]): ServiceFacts[] {
  const facts: ServiceFacts[] = [];
  const byKindAndName = new Map(objects.map((o) => [`${String(o.kind)}/${nameOf(o)}`, o]));
  const owned = (kind: string, name: string, owner: string) => {
    const o = byKindAndName.get(`${kind}/${name}`);
    return o && labelsOf(o)['app.kubernetes.io/name'] === owner ? o : undefined;
  };
  for (const construct of chart.services.values()) {
    const k8sName = construct.kubernetesName;
    const workload = owned(construct.workloadKind, k8sName, k8sName);
    const container = workload && mainContainer(workload, k8sName);
    if (!workload || !container) continue;
    const env: Record<string, string> = {};
    for (const e of (container.env ?? []) as Json[]) {
      if (typeof e.value === 'string' && e.valueFrom === undefined) env[String(e.name)] = e.value;
    }
    const publishedName = suffixed(k8sName, 'published');
    const publishedService = owned('Service', publishedName, k8sName);
    const publishedSpec = publishedService?.spec as Json | undefined;
    facts.push({
      name: construct.serviceName,
      kubernetesName: k8sName,
      workloadKind: construct.workloadKind,
      image: parseImage(String(container.image ?? '')),
      pullPolicy: typeof container.imagePullPolicy === 'string' ? container.imagePullPolicy : '',
      replicas:
        workload.kind === 'Deployment' ? (((workload.spec as Json).replicas as number | undefined) ?? 1) : undefined,
      resources: (container.resources as Json | undefined) ?? {},
      env,
      published: publishedSpec && {
        serviceName: publishedName,
        type: String(publishedSpec.type ?? 'ClusterIP'),
        nodePorts: Object.fromEntries(
          ((publishedSpec.ports ?? []) as Json[]).map((p) => [
            String(p.name),
            (p.nodePort as number | undefined) ?? null,
          ]),
        ),
      },
      livenessProbe: container.livenessProbe !== undefined,
    });
  }
  return facts;
}

export function chartFacts(chart: ComposeChart, objects: readonly Json[]): ChartFacts {
  const ingresses = ingressObjects(objects);
  const routes: RouteFacts[] = [];
  const tls: Json[] = [];
  for (const ingress of ingresses) {
    const spec = ingress.spec ?? {};
    for (const rule of spec.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        routes.push({
          host: rule.host ?? '',
          path: p.path ?? '/',
          pathType: p.pathType ?? 'Prefix',
          service: p.backend?.service?.name ?? ingress.metadata.name,
          port: p.backend?.service?.port?.number ?? 80,
        });
      }
    }
    for (const entry of spec.tls ?? [])
      if (!tls.some((t) => JSON.stringify(t) === JSON.stringify(entry))) tls.push({ ...entry });
  }
  return {
    services: serviceFacts(chart, objects),
    secrets: objects
      .filter((o) => o.kind === 'Secret')
      .map((o) => ({ name: nameOf(o), keys: Object.keys((o.data as Json | undefined) ?? {}) })),
    claims: objects
      .filter((o) => o.kind === 'PersistentVolumeClaim')
      .map((o) => {
        const spec = o.spec as { storageClassName?: string; resources?: { requests?: { storage?: string } } };
        return {
          name: nameOf(o),
          size: String(spec.resources?.requests?.storage ?? '1Gi'),
          storageClass: spec.storageClassName ?? '',
        };
      }),
    ingresses: ingresses.map((o) => {
      const spec = o.spec ?? {};
      const backends = (spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service?.name));
      return {
        name: o.metadata.name,
        className: spec.ingressClassName ?? '',
        backends: [...new Set(backends.filter((b): b is string => b !== undefined))],
      };
    }),
    routes,
    tls,
    namespace: chart.namespace ?? '',
  };
}
