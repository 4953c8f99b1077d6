/**
 * What a stack needs from the cluster it runs on, gathered once from the project and the chart:
 * the target files (cluster config, scripts, notes) are rendered from this plan only.
 */
import * as path from 'path';
import type { ComposeProject } from '../compose/model';
import type { HostNetworkPort, PublishedPort } from '../expose/node-ports';

export type ClusterTarget = 'kind' | 'minikube' | 'generic';

export interface LocalImage {
  readonly service: string;
  readonly image: string;
  /** Build context relative to the stack directory (or a URL for remote contexts). */
  readonly context: string;
  readonly dockerfile?: string;
  readonly target?: string;
  readonly args: Readonly<Record<string, string>>;
}

export interface WorkloadRef {
  readonly kind: 'Deployment' | 'Job' | 'StatefulSet';
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
  readonly workloads: readonly WorkloadRef[];
  readonly nodeMounts: readonly NodeMount[];
  /** Source-code bind mounts kept as hostPaths: the code must be checked out for them. */
  readonly sourceMounts: readonly SourceMount[];
  /** The project directory, relative to the stack directory. */
  readonly projectDir: string;
}

const isRemoteContext = (context: string) => /^[a-z]+:\/\//i.test(context) || context.startsWith('git@');

/**
 * Services Compose would build, with the image name the manifests use. `imageOf` is the chart's
 * own naming rule, passed in so this file never re-derives it.
 */
export function localImages(
  project: ComposeProject,
  stackDir: string,
  imageOf: (service: string) => string,
): LocalImage[] {
  const images: LocalImage[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const build = project.services[name].build;
    if (!build) continue;
    const context = isRemoteContext(build.context) ? build.context : path.relative(stackDir, build.context) || '.';
    images.push({
      service: name,
      image: imageOf(name),
      context,
      dockerfile: build.dockerfile,
      target: build.target,
      args: build.args,
    });
  }
  return images;
}
