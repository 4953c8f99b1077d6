/**
 * What each service mounts, read from its pod: claims (named volumes, data directories), host
 * directories, and the ConfigMaps and Secrets of configuration files, Compose configs and
 * secrets. A volume shared by several services is one node with an edge from each. Pod-local
 * scratch space (emptyDir: anonymous volumes, tmpfs) is left out: it is not shared and not kept.
 */
import type { HostMount } from '../translate/volumes';
import { displayHostSide } from '../compose/normalize/volumes';
import type { DiagramIds } from './ids';
import type { DiagramEdge, StorageKind, StorageNode } from './model';
import type { PodVolume, Workload } from './objects';

interface Source {
  readonly kind: StorageKind;
  readonly name: string;
}

function sourceOf(volume: PodVolume): Source | undefined {
  if (volume.persistentVolumeClaim) return { kind: 'claim', name: volume.persistentVolumeClaim.claimName };
  if (volume.configMap) return { kind: 'config-map', name: volume.configMap.name };
  if (volume.secret) return { kind: 'secret', name: volume.secret.secretName };
  if (volume.hostPath) return { kind: 'host-path', name: volume.hostPath.path };
  return undefined;
}

const ID_PREFIX: Readonly<Record<StorageKind, string>> = {
  claim: 'pvc',
  'host-path': 'dir',
  'config-map': 'cm',
  secret: 'secret',
};

const KIND_ORDER: readonly StorageKind[] = ['claim', 'host-path', 'config-map', 'secret'];

/** A node directory as the Compose file wrote it (`./backend`), through the host mount it lies in. */
export function hostPathDisplay(nodePath: string, hostMounts: readonly HostMount[]): string | undefined {
  const mount = hostMounts
    .filter((m) => nodePath === m.nodePath || nodePath.startsWith(`${m.nodePath}/`))
    .sort((a, b) => b.nodePath.length - a.nodePath.length)[0];
  if (!mount) return undefined;
  const rest = nodePath.slice(mount.nodePath.length);
  const base = displayHostSide(mount.host);
  return rest === '' ? base : `${base.replace(/\/$/, '')}${rest}`;
}

export interface StorageContext {
  readonly claimSizes: ReadonlyMap<string, string>;
  readonly hostMounts: readonly HostMount[];
}

function label(source: Source, context: StorageContext): string[] {
  switch (source.kind) {
    case 'claim': {
      const size = context.claimSizes.get(source.name);
      // No claim object: the volume is external, the user creates the claim.
      return [source.name, size ? `PVC ${size}` : 'PVC (external)'];
    }
    case 'host-path':
      return [hostPathDisplay(source.name, context.hostMounts) ?? source.name, 'hostPath'];
    case 'config-map':
      return [source.name, 'ConfigMap'];
    default:
      return [source.name, 'Secret'];
  }
}

export interface ServiceMounts {
  readonly serviceId: string;
  readonly workload: Workload;
}

export function storage(
  services: readonly ServiceMounts[],
  ids: DiagramIds,
  context: StorageContext,
): { nodes: StorageNode[]; edges: DiagramEdge[] } {
  const sources = new Map<string, Source>();
  const uses: { serviceId: string; key: string; paths: string[] }[] = [];
  for (const { serviceId, workload } of services) {
    const byVolume = new Map(workload.volumes.map((v) => [v.name, v]));
    const paths = new Map<string, string[]>();
    for (const mount of workload.mounts) {
      const volume = byVolume.get(mount.name);
      const source = volume && sourceOf(volume);
      if (!source) continue;
      const key = `${source.kind}/${source.name}`;
      sources.set(key, source);
      const path = `${mount.mountPath}${mount.readOnly ? ' (ro)' : ''}`;
      const list = paths.get(key) ?? [];
      if (!list.includes(path)) list.push(path);
      paths.set(key, list);
    }
    for (const [key, list] of paths) uses.push({ serviceId, key, paths: list });
  }
  const ordered = [...sources.entries()].sort(
    ([, a], [, b]) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name),
  );
  const idOf = new Map<string, string>();
  const nodes = ordered.map(([key, source]) => {
    const text = label(source, context);
    // Named after its first line: a host directory's id then reads `dir_backend`, not its node path.
    const id = ids.id(ID_PREFIX[source.kind], text[0]);
    idOf.set(key, id);
    return { id, kind: source.kind, name: source.name, label: text };
  });
  const edges: DiagramEdge[] = uses.map((u) => ({
    kind: 'mount',
    from: u.serviceId,
    to: idOf.get(u.key) as string,
    label: u.paths,
  }));
  return { nodes, edges };
}
