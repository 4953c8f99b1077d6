/**
 * The picture of a converted stack, as one graph that every rendering (Mermaid, DOT, SVG) draws:
 * what runs (one node per Compose service, with its workload), how it is reached from outside
 * (published ports, Ingress routes, host-network ports), what it keeps or reads (claims, host
 * directories, ConfigMaps, Secrets), its start order (depends_on) and its networks. Every label
 * is decided here, once, so the renderings only escape and lay out.
 */
import type { WorkloadKind } from '../translate/workload';

/** A node's text, one entry per line; the first line is its name. */
export type Label = readonly string[];

export interface ServiceNode {
  readonly id: string;
  /** Compose service name. */
  readonly service: string;
  readonly kubernetesName: string;
  readonly workload: WorkloadKind;
  readonly image: string;
  /** Pods the workload runs; undefined for DaemonSets (one per node) and Jobs (run to completion). */
  readonly replicas?: number;
  readonly label: Label;
}

export type EntryKind = 'published-port' | 'ingress' | 'host-network';

export interface EntryNode {
  readonly id: string;
  readonly kind: EntryKind;
  readonly label: Label;
}

export type StorageKind = 'claim' | 'host-path' | 'config-map' | 'secret';

export interface StorageNode {
  readonly id: string;
  readonly kind: StorageKind;
  /** The Kubernetes object (claim, ConfigMap, Secret) or the node directory. */
  readonly name: string;
  readonly label: Label;
}

export type DependsOnCondition = 'started' | 'healthy' | 'completed';

export type DiagramEdge =
  /** `from` waits for `to` before it starts (init containers), as under Compose. */
  | {
      readonly kind: 'depends-on';
      readonly from: string;
      readonly to: string;
      readonly condition: DependsOnCondition;
      readonly required: boolean;
      readonly label: Label;
    }
  /** `from` (a service) mounts `to` (a storage node) at the paths in the label. */
  | { readonly kind: 'mount'; readonly from: string; readonly to: string; readonly label: Label }
  /** Traffic from an entry point to a service (Ingress paths in the label). */
  | { readonly kind: 'route'; readonly from: string; readonly to: string; readonly label: Label };

export interface NetworkGroup {
  readonly id: string;
  /** Compose network key. */
  readonly name: string;
  readonly internal: boolean;
  readonly external: boolean;
  readonly label: string;
  /** Ids of the services drawn inside it: those attached to this network only. */
  readonly services: readonly string[];
}

export interface StackGraph {
  /** Chart id (the stack directory's name). */
  readonly name: string;
  readonly services: readonly ServiceNode[];
  readonly entryPoints: readonly EntryNode[];
  readonly storage: readonly StorageNode[];
  readonly edges: readonly DiagramEdge[];
  readonly networks: readonly NetworkGroup[];
}

/**
 * Services beyond which `convert` draws no picture: Graphviz's layout time grows much faster than
 * the stack (seconds at 1000 services, minutes at 5000), and such a picture is not legible anyway.
 * `explain --format svg|mermaid|dot` still draws any stack on request.
 */
export const MAX_DRAWN_SERVICES = 60;

export const isDrawable = (graph: StackGraph): boolean => graph.services.length <= MAX_DRAWN_SERVICES;
