/**
 * Service mounts -> pod volumes. Named volumes become PersistentVolumeClaims; anonymous volumes,
 * tmpfs and shm_size become emptyDirs; named and anonymous volumes are filled from the image
 * first, as Docker fills a new volume (volume-fill.ts). Compose secrets and configs are mounted
 * from Secrets and ConfigMaps. Bind mounts go by their class (bind-volumes.ts): configuration
 * becomes a ConfigMap or Secret, code, data and host paths a hostPath on local clusters, and on
 * other clusters data a claim while code and host paths are left out, with a warning.
 */
import type { ComposeProject, ComposeService, NamedOrAnonymousVolume, TmpfsMount } from '../compose/model';
import { addBindMount, fileKey } from './bind-volumes';
import { claimFor, serviceVolumeOverrides } from './claims';
import { dropped, note, partial, type Finding } from './findings';
import {
  container,
  each,
  emptyIsNothing,
  group,
  noEquivalent,
  on,
  part,
  pod,
  translated,
  type KeyRules,
} from './key-rules';
import { komposeVolumeFindings } from './kompose-volumes';
import { dnsSubdomain, pathSlug } from './names';
import { memoryQuantity } from './resources';
import { VolumePlanBuilder, type VolumeOptions, type VolumePlan } from './volume-plan';

export { claimFor, type ClaimRequest } from './claims';
export { fileKey } from './bind-volumes';
export type { BindReport, FileObject, HostMount, VolumeOptions, VolumePlan } from './volume-plan';

function anonymousVolume(b: VolumePlanBuilder, v: NamedOrAnonymousVolume, key: string): void {
  const name = b.volumeName(`anon-${pathSlug(v.target)}`);
  b.add({ name, emptyDir: {} }, v.target, v.readOnly ? { readOnly: true } : {});
  b.findings.push(partial(key, 'an anonymous volume is an emptyDir: it lives as long as the pod'));
  b.fill(key, name, v.target, v.nocopy, undefined, true);
}

function namedVolume(
  b: VolumePlanBuilder,
  v: NamedOrAnonymousVolume & { readonly source: string },
  key: string,
  project: ComposeProject,
  service: ComposeService,
): void {
  const kompose = b.options.kompose;
  const ro = v.readOnly ? { readOnly: true } : {};
  const subPath = v.subpath ?? serviceVolumeOverrides(service, v.source, kompose).subPath;
  const at = { ...ro, ...(subPath ? { subPath } : {}) };
  if (kompose?.volumeType === 'emptyDir' && !project.volumes[v.source]?.external) {
    const name = b.volumeName(v.source);
    b.add({ name, emptyDir: {} }, v.target, at);
    b.findings.push(partial(key, `an emptyDir (kompose.volume.type: emptyDir): the data lives as long as the pod`));
    b.fill(key, name, v.target, v.nocopy, subPath, true);
    return;
  }
  const claim = claimFor(project, service, v.source, kompose);
  b.claims.push(claim);
  if (claim.external) b.userCreated.push(`PersistentVolumeClaim/${claim.claimName}`);
  b.mountsClaim(key);
  const name = b.volumeName(claim.claimName);
  // Read-only goes on the mount only: the fill container must be able to write the volume.
  b.add({ name, persistentVolumeClaim: { claimName: claim.claimName } }, v.target, at);
  b.fill(key, name, v.target, v.nocopy, subPath);
}

function tmpfs(b: VolumePlanBuilder, v: TmpfsMount): void {
  const name = b.volumeName(`tmpfs-${pathSlug(v.target)}`);
  const emptyDir = { medium: 'Memory', ...(v.sizeBytes ? { sizeLimit: memoryQuantity(v.sizeBytes) } : {}) };
  b.add({ name, emptyDir }, v.target, v.readOnly ? { readOnly: true } : {});
}

/** `secrets:` and `configs:` of the service: the Secret or ConfigMap of the top-level entry, one file each. */
function fileReferences(
  b: VolumePlanBuilder,
  kind: 'secrets' | 'configs',
  project: ComposeProject,
  service: ComposeService,
) {
  (kind === 'secrets' ? service.secrets : service.configs).forEach((ref, i) => {
    const def = kind === 'secrets' ? project.secrets[ref.source] : project.configs[ref.source];
    const objectName = dnsSubdomain(def?.external ? def.name : ref.source);
    if (def && (def.external || def.content === undefined))
      b.userCreated.push(`${kind === 'secrets' ? 'Secret' : 'ConfigMap'}/${objectName}`);
    const name = b.volumeName(`${kind === 'secrets' ? 'secret' : 'config'}-${ref.source}`);
    const mode = ref.mode !== undefined ? { defaultMode: ref.mode } : {};
    b.add(
      kind === 'secrets'
        ? { name, secret: { secretName: objectName, ...mode } }
        : { name, configMap: { name: objectName, ...mode } },
      ref.target,
      { readOnly: true, subPath: fileKey(ref.source) },
    );
    if (ref.uid !== undefined || ref.gid !== undefined) {
      b.findings.push(
        partial(`${kind}[${i}]`, 'uid/gid of the file cannot be set; the pod fsGroup decides group ownership'),
      );
    }
  });
}

const SELINUX = new Set(['z', 'Z']);
const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const SELINUX_REASON = "SELinux relabelling is the kubelet's: it labels a pod's volumes for the pod's seLinuxOptions";
const PROPAGATION_REASON = 'mount propagation is not translated';

/** `data:/data:z,rshared,cached`: what the short syntax's options become (the long syntax's keys have rules). */
export function shortOptionFindings(options: readonly string[], key: string): Finding[] {
  return options.map((o) =>
    SELINUX.has(o)
      ? dropped(key, `:${o}: ${SELINUX_REASON}`)
      : PROPAGATION.has(o)
        ? dropped(key, `:${o}: ${PROPAGATION_REASON}`)
        : note(key, `:${o}: Compose ignores this option, and so does the translation`),
  );
}

export function planVolumes(
  project: ComposeProject,
  service: ComposeService,
  k8sName: string,
  options: VolumeOptions = { localCluster: true, hostMounts: 'hostpath' },
): VolumePlan {
  const b = new VolumePlanBuilder(k8sName, options);
  service.volumes.forEach((v, i) => {
    const key = `volumes[${i}]`;
    b.findings.push(...shortOptionFindings(v.options ?? [], key));
    if (v.type === 'volume') {
      if (v.source === undefined) anonymousVolume(b, v, key);
      else namedVolume(b, { ...v, source: v.source }, key, project, service);
    } else if (v.type === 'tmpfs') tmpfs(b, v);
    else if (v.type === 'bind') addBindMount(b, v, key, project, service);
    else b.findings.push(dropped(key, `${v.type} mounts have no Kubernetes equivalent`));
  });
  fileReferences(b, 'secrets', project, service);
  fileReferences(b, 'configs', project, service);
  if (service.shmSizeBytes !== undefined) {
    const name = b.volumeName('dshm');
    b.add({ name, emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(service.shmSizeBytes) } }, '/dev/shm');
  }
  b.findings.push(...komposeVolumeFindings(service, options.kompose, b.claims, b.binds));
  return b;
}

const MOUNTS = [pod('volumes'), container('volumeMounts')];
const NAMED_MOUNTS = (glob: string) => [pod(`volumes[name=${glob}]`), container(`volumeMounts[name=${glob}]`)];

/** Mounts: named and anonymous volumes, binds, tmpfs, `/dev/shm`, and the files of secrets and configs. */
export const VOLUME_KEYS: KeyRules = {
  volumes: translated(
    [
      ...MOUNTS,
      pod('initContainers[name=fill-*]'),
      pod('initContainers[name=lost-found-*]'),
      on('claims', 'spec'),
      on('files'),
    ],
    { unless: emptyIsNothing },
  ),
  ...each(['volumes[]', 'volumes[].type', 'volumes[].source', 'volumes[].target', 'volumes[].read_only'], part),
  'volumes[].bind': group,
  'volumes[].bind.create_host_path': part,
  'volumes[].bind.propagation': noEquivalent(PROPAGATION_REASON),
  'volumes[].bind.selinux': noEquivalent(SELINUX_REASON),
  'volumes[].bind.recursive': noEquivalent('Kubernetes mounts are always recursive', {
    unless: (v) => (v === 'enabled' ? 'enabled: what Kubernetes does' : undefined),
  }),
  'volumes[].consistency': noEquivalent('only Docker Desktop for Mac reads it: it changes nothing on a Linux node'),
  'volumes[].volume': group,
  'volumes[].volume.nocopy': part,
  'volumes[].volume.subpath': part,
  'volumes[].volume.labels': noEquivalent('the labels of the volume Docker creates: a claim carries the stack labels'),
  'volumes[].tmpfs': group,
  'volumes[].tmpfs.size': part,
  'volumes[].tmpfs.mode': noEquivalent('an emptyDir has no mode option; its directory is world-writable'),
  'volumes[].image': group,
  'volumes[].image.subpath': part,
  tmpfs: translated(NAMED_MOUNTS('tmpfs-*'), { unless: emptyIsNothing }),
  shm_size: translated(NAMED_MOUNTS('dshm*')),
  secrets: translated([...NAMED_MOUNTS('secret-*'), on('mounted')], { unless: emptyIsNothing }),
  configs: translated([...NAMED_MOUNTS('config-*'), on('mounted')], { unless: emptyIsNothing }),
  ...each(
    [
      'secrets[]',
      'secrets[].source',
      'secrets[].target',
      'secrets[].mode',
      'secrets[].uid',
      'secrets[].gid',
      'configs[]',
      'configs[].source',
      'configs[].target',
      'configs[].mode',
      'configs[].uid',
      'configs[].gid',
    ],
    part,
  ),
  volumes_from: noEquivalent("pods cannot mount another pod's volumes; share a volume by name instead"),
};
