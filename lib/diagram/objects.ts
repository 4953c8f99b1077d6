/**
 * What the diagram reads back from the synthesized objects, so the picture shows what is applied
 * (including objects chart code adds, such as a seed stack's Ingress), not a second guess of it.
 */

import { ingressObjects } from '../output/ingress-objects';
import { podTemplateOf } from '../pod-template';

export interface PodVolume {
  readonly name: string;
  readonly persistentVolumeClaim?: { readonly claimName: string };
  readonly configMap?: { readonly name: string };
  readonly secret?: { readonly secretName: string };
  readonly hostPath?: { readonly path: string };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

interface Container {
  readonly image?: string;
  readonly volumeMounts?: readonly VolumeMount[];
}

export interface Workload {
  readonly image?: string;
  readonly replicas?: number;
  readonly mounts: readonly VolumeMount[];
  readonly volumes: readonly PodVolume[];
}

interface ObjectJson {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly replicas?: number;
    readonly resources?: { readonly requests?: { readonly storage?: string } };
  };
}

interface PodTemplateJson {
  readonly spec?: { readonly containers?: readonly Container[]; volumes?: PodVolume[] };
}

export interface IngressRoute {
  readonly host?: string;
  readonly path: string;
  /** Kubernetes Service name of the backend. */
  readonly backend: string;
}

export interface IngressJson {
  readonly name: string;
  readonly tlsHosts: readonly string[];
  readonly routes: readonly IngressRoute[];
}

export interface SynthesizedObjects {
  /** By `Kind/name`. */
  readonly workloads: ReadonlyMap<string, Workload>;
  /** Requested size of each claim the stack creates, by claim name. */
  readonly claimSizes: ReadonlyMap<string, string>;
  readonly ingresses: readonly IngressJson[];
}

export function readObjects(objects: readonly unknown[]): SynthesizedObjects {
  const workloads = new Map<string, Workload>();
  const claimSizes = new Map<string, string>();
  for (const o of objects as ObjectJson[]) {
    const name = o.metadata?.name;
    if (!o.kind || !name) continue;
    const pod = (podTemplateOf(o) as PodTemplateJson | undefined)?.spec;
    if (pod) {
      const main = pod.containers?.[0];
      workloads.set(`${o.kind}/${name}`, {
        image: main?.image,
        replicas: o.spec?.replicas,
        mounts: main?.volumeMounts ?? [],
        volumes: pod.volumes ?? [],
      });
    } else if (o.kind === 'PersistentVolumeClaim') {
      const size = o.spec?.resources?.requests?.storage;
      if (size) claimSizes.set(name, size);
    }
  }
  const ingresses = ingressObjects(objects).map((o) => ({
    name: o.metadata.name,
    tlsHosts: (o.spec?.tls ?? []).flatMap((t) => t.hosts ?? []),
    routes: (o.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).flatMap((p) => {
        const backend = p.backend?.service?.name;
        return backend ? [{ host: rule.host, path: p.path ?? '/', backend }] : [];
      }),
    ),
  }));
  return { workloads, claimSizes, ingresses: ingresses.sort((a, b) => a.name.localeCompare(b.name)) };
}
