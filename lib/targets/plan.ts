/**
 * What a stack needs from the cluster it runs on, gathered once from the project and the chart:
 * the target files (cluster config, scripts, notes) are rendered from this plan only.
 */
import * as path from 'path';
import type { HostSide } from '../compose/model';
import type { HostNetworkPort, PublishedPort } from '../expose/node-ports';

export type ClusterTarget = 'kind' | 'minikube' | 'generic';

export interface LocalImage {
  readonly service: string;
  readonly image: string;
  /**
   * Other services whose `build` is this one, input for input (lib/targets/image-builds.ts): it is
   * built once and named with each of their images too, so every manifest finds its image.
   */
  readonly sameBuild?: readonly { readonly service: string; readonly image: string }[];
  /** Build context relative to the stack directory (or a URL for remote contexts). */
  readonly context: string;
  /** As Compose names it: relative to the context (or absolute). */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly args: Readonly<Record<string, string>>;
  /** The rest of `build` (lib/targets/image-builds.ts); absent: not set. Paths are from the stack directory. */
  readonly dockerfileInline?: string;
  /** Extra names of the image, built and loaded with it. */
  readonly tags?: readonly string[];
  /** The one platform to build for running it (`platform`, or the only one of `build.platforms`). */
  readonly platform?: string;
  /** Every platform `docker compose build` builds (a multi-platform image when pushed). */
  readonly platforms?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly network?: string;
  readonly shmSizeBytes?: number;
  /** `host=ip`; `host-gateway` is the builder's host. */
  readonly extraHosts?: readonly string[];
  readonly noCache?: boolean;
  readonly noCacheFilter?: readonly string[];
  readonly pull?: boolean;
  readonly cacheFrom?: readonly BuilderRef[];
  readonly cacheTo?: readonly BuilderRef[];
  readonly secrets?: readonly LocalSecret[];
  /** `default`, or an id and the agent sockets or keys it forwards. */
  readonly ssh?: readonly { readonly id: string; readonly paths: readonly string[] }[];
  readonly contexts?: readonly ({ readonly name: string } & BuilderRef)[];
  /** `name=soft:hard`. */
  readonly ulimits?: readonly string[];
  /** Entitlements (`security.insecure` for a privileged build). */
  readonly allow?: readonly string[];
  readonly provenance?: string;
  readonly sbom?: string;
}

/** The names one build gives its image for the manifests: the first service's, then the others'. */
export function imageNames(image: LocalImage): string[] {
  return [...new Set([image.image, ...(image.sameBuild ?? []).map((s) => s.image)])];
}

/** The services one build is for, the first one first. */
export function servicesOf(image: LocalImage): string[] {
  return [image.service, ...(image.sameBuild ?? []).map((s) => s.service)];
}

/** `1 image`, `3 images`, `2 images for 5 services` when services share a build. */
export function imageCount(images: readonly LocalImage[]): string {
  const services = images.reduce((n, i) => n + servicesOf(i).length, 0);
  const count = `${images.length} image${images.length === 1 ? '' : 's'}`;
  return services === images.length ? count : `${count} for ${services} services`;
}

/** `api, web` or, when builds are shared, `api; one for beat, web, worker`: what each build is for. */
export function imageList(images: readonly LocalImage[]): string {
  const shared = images.some((i) => servicesOf(i).length > 1);
  return images
    .map((i) => (servicesOf(i).length > 1 ? `one for ${servicesOf(i).join(', ')}` : i.service))
    .join(shared ? '; ' : ', ');
}

/** A value the builder takes (a cache, a context), and whether it names a path on this machine. */
export interface BuilderRef {
  readonly value: string;
  /** A path on this machine: a builder in the minikube node cannot reach it. */
  readonly local: boolean;
}

/** A build secret: a file (from the stack directory) or a variable of the shell that runs the build. */
export type LocalSecret =
  { readonly id: string; readonly file: string } | { readonly id: string; readonly env: string };

/** A workload up.sh waits for (a CronJob has nothing to wait for: it runs on its schedule). */
export interface WorkloadRef {
  readonly kind: 'DaemonSet' | 'Deployment' | 'Job' | 'StatefulSet';
  readonly name: string;
}

/** Written in place of the home directory; the scripts fill it in at run time. */
export const HOME_PLACEHOLDER = '${HOME}';

/** A host directory the node mounts for hostPath volumes. */
export interface NodeMount {
  /**
   * The host side for tools that run from the stack directory: relative to it for paths in and
   * around the project, `${HOME}/...` for the home directory (filled in at run time, so no
   * generated file holds the converting user's home), absolute as written otherwise.
   */
  readonly hostPath: string;
  /** Where the node holds it (the hostPath volumes' `path` starts with it). */
  readonly nodePath: string;
  /** As the Compose file says it: `.` (the project), `~/.aws`, `/var/run/docker.sock`. */
  readonly display: string;
}

/** The mount's host side is under the home directory (its hostPath starts with HOME_PLACEHOLDER). */
export const underHome = (m: NodeMount): boolean => m.hostPath.startsWith(HOME_PLACEHOLDER);

/** A bind mount that needs files the user must have where the project is (source trees). */
export interface SourceMount {
  readonly service: string;
  readonly hostPath: string;
  readonly target: string;
}

/** An external volume: its claim is the user's to create (lib/targets/external-volumes.ts). */
export interface ExternalVolume {
  /** The Compose volume key. */
  readonly volume: string;
  readonly claimName: string;
  /** The services that mount it. */
  readonly users: readonly string[];
  /** The spec the stack would give the claim: its default size, access modes and class. */
  readonly spec: {
    readonly accessModes: readonly string[];
    readonly resources: { readonly requests: { readonly storage: string } };
    readonly storageClassName?: string;
    readonly selector?: unknown;
  };
}

export interface StackPlan {
  /** Stack (chart) name: the kind cluster / minikube profile name too. */
  readonly name: string;
  readonly target: ClusterTarget;
  readonly namespace?: string;
  readonly images: readonly LocalImage[];
  readonly published: readonly PublishedPort[];
  readonly hostNetwork: readonly HostNetworkPort[];
  readonly ingressHosts: readonly {
    readonly host?: string;
    readonly path: string;
    readonly service: string;
    readonly tls: boolean;
  }[];
  /** Traefik services that route only by the stack's Docker labels, whose routes the Ingress objects are. */
  readonly replaceableProxies?: readonly string[];
  readonly workloads: readonly WorkloadRef[];
  /** The Compose project: the `app.kubernetes.io/part-of` label of every object of the stack. */
  readonly project: string;
  /** Every namespaced object of the output as `kubectl get -o name` prints it (what up.sh keeps). */
  readonly objects: readonly string[];
  readonly nodeMounts: readonly NodeMount[];
  /** Source-code bind mounts kept as hostPaths: the code must be checked out for them. */
  readonly sourceMounts: readonly SourceMount[];
  /** External volumes, whose claims the user creates (an example of each beside the manifests). */
  readonly externalVolumes: readonly ExternalVolume[];
  /** The project directory, relative to the stack directory. */
  readonly projectDir: string;
  /**
   * `--secrets external`: the compose-cdk8s arguments that print the stack's Secrets, run by
   * up.sh (and shown in NOTES.md) before applying, from the stack directory.
   */
  readonly secretsCommand?: readonly string[];
}

/** A host side as a path the generated files use from the stack directory (see NodeMount.hostPath). */
export function hostPathFromStack(side: HostSide, projectDirFromStack: string): string {
  const join = (base: string, rel: string) => (rel === '' ? base : base === '.' ? rel : `${base}/${rel}`);
  switch (side.kind) {
    case 'project':
    case 'outside':
      return path.posix.normalize(join(projectDirFromStack, side.path));
    case 'home':
      return join(HOME_PLACEHOLDER, side.path);
    default:
      return side.path;
  }
}
