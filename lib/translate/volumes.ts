/**
 * Service mounts -> pod volumes. Named volumes become PersistentVolumeClaims; anonymous volumes,
 * tmpfs and shm_size become emptyDirs; named and anonymous volumes are filled from the image
 * first, as Docker fills a new volume (volume-fill.ts). Compose secrets and configs are mounted
 * from Secrets and ConfigMaps. Bind mounts go by their class (bind-mounts.ts): configuration
 * becomes a ConfigMap or Secret, code, data and host paths a hostPath on local clusters, and on
 * other clusters data a claim while code and host paths are left out, with a warning.
 */
import type { BindMount, ComposeProject, ComposeService, HostSide } from '../compose/model';
import { displayHostSide } from '../compose/normalize/volumes';
import {
  classifyBind,
  looksLikeCredentials,
  looksLikeFile,
  mountRoot,
  nodePath,
  KEEP_FILES,
  MAX_OBJECT_BYTES,
  type BindClass,
  type BindDecision,
  type HostMountMode,
} from './bind-mounts';
import { dropped, note, partial, type Finding } from './findings';
import { dnsLabel, dnsSubdomain, pathSlug, suffixed, uniqueName } from './names';
import { claimFor, serviceVolumeOverrides, type ClaimRequest, type ServiceVolumeLabels } from './claims';
import { komposeVolumeFindings } from './kompose-volumes';
import { memoryQuantity } from './resources';
import type { FillRequest } from './volume-fill';
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

export { claimFor, type ClaimRequest } from './claims';

export interface FileObject {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** key -> bytes */
  readonly data: Readonly<Record<string, Buffer>>;
}

/** A host directory the node must provide (kind extraMounts, `minikube mount`). */
export interface HostMount {
  /** The host side, anchored to the project, the home directory or the root. */
  readonly host: HostSide;
  /** Where the node holds it. */
  readonly nodePath: string;
}

/** What one bind mount became, for the convert summary and explain. */
export interface BindReport {
  readonly key: string;
  /** The host path as written in terms of the project: `./nginx.conf`, `~/.aws`. */
  readonly hostPath: string;
  readonly target: string;
  readonly class: BindClass;
  readonly reason: string;
  /** `ConfigMap web-etc-nginx`, `hostPath /compose-cdk8s/project/Backend`, `claim app-uploads`, `not mounted`. */
  readonly becomes: string;
  readonly credentials?: string;
}

export interface VolumePlan {
  readonly volumes: Record<string, unknown>[];
  readonly mounts: Record<string, unknown>[];
  readonly claims: ClaimRequest[];
  readonly files: FileObject[];
  /** Named and anonymous volumes to fill from the image before the service starts. */
  readonly fills: FillRequest[];
  readonly hostMounts: HostMount[];
  readonly binds: BindReport[];
  /** True when a ReadWriteOnce claim is mounted: rollouts must not overlap (strategy Recreate). */
  readonly mountsClaim: boolean;
  /** `Secret/aws`: objects the pod uses that the user creates (external, or from outside the project). */
  readonly userCreated: string[];
  readonly findings: Finding[];
}

export interface VolumeOptions {
  /** kind and minikube: the node is this machine (or mounts from it). */
  readonly localCluster: boolean;
  readonly hostMounts: HostMountMode;
  readonly kompose?: ServiceVolumeLabels;
}

const SECRET_FILE =
  /(^|\/)(\.env(\..*)?|.*\.(key|pem|p12|pfx|crt|jks)|.*(secret|password|passwd|credential|token).*)$/i;

/** A file whose name says secret (`.env`, `db_password.txt`) or credentials (`.ssh/id_rsa`). */
const looksSecret = (name: string, rel: string = name) => SECRET_FILE.test(name) || looksLikeCredentials(rel);

/** ConfigMap keys allow `[-._a-zA-Z0-9]`; nested paths keep their layout through `items`. */
export function fileKey(rel: string): string {
  return rel.replace(/\//g, '__').replace(/[^-._a-zA-Z0-9]/g, '_') || 'file';
}

/** A mounted script stays executable: the host file's mode, when it has an execute bit. */
const executableMode = (mode: number | undefined) => (mode !== undefined && mode & 0o111 ? mode & 0o777 : undefined);

interface ConfigOutcome {
  readonly object: FileObject;
  /** The volume source (`configMap` or `secret`) without its name. */
  readonly items?: { key: string; path: string; mode?: number }[];
  readonly defaultMode?: number;
  readonly subPath?: string;
}

/** A configuration bind mount as a ConfigMap (a Secret when it looks secret). */
function configObject(bind: BindMount, objectName: string): ConfigOutcome | undefined {
  const host = bind.host;
  if (host.kind === 'file' && host.content) {
    const key = fileKey(bind.hostSide.path.split('/').pop() ?? 'file');
    const kind = looksSecret(bind.hostSide.path) ? 'Secret' : 'ConfigMap';
    const mode = executableMode(host.mode);
    return {
      object: { kind, name: objectName, data: { [key]: host.content } },
      subPath: key,
      ...(mode !== undefined ? { defaultMode: mode } : {}),
    };
  }
  if (host.kind !== 'directory' || !host.files || host.totalBytes > MAX_OBJECT_BYTES) return undefined;
  const files = host.files;
  const content = Object.keys(files).filter((f) => !KEEP_FILES.test(f));
  const kind = content.some((f) => looksSecret(f, `${bind.hostSide.path}/${f}`)) ? 'Secret' : 'ConfigMap';
  const data: Record<string, Buffer> = {};
  const items = content.sort().map((rel) => {
    const key = fileKey(rel);
    data[key] = files[rel];
    const mode = executableMode(host.modes?.[rel]);
    return { key, path: rel, ...(mode !== undefined ? { mode } : {}) };
  });
  return { object: { kind, name: objectName, data }, items };
}

/** The hostPath type: a file must be there; a directory is created when missing, as Compose does. */
function hostPathType(bind: BindMount): string | undefined {
  if (bind.host.kind === 'file') return 'File';
  if (bind.host.kind === 'outside') return undefined;
  return bind.createHostPath ? 'DirectoryOrCreate' : 'Directory';
}

const CLASS_HELP: Readonly<Record<BindClass, string>> = {
  config: 'configuration',
  source: 'source code',
  data: 'data',
  host: 'a host path',
};

export function planVolumes(
  project: ComposeProject,
  service: ComposeService,
  k8sName: string,
  options: VolumeOptions = { localCluster: true, hostMounts: 'hostpath' },
): VolumePlan {
  const volumes: Record<string, unknown>[] = [];
  const mounts: Record<string, unknown>[] = [];
  const claims: ClaimRequest[] = [];
  const files: FileObject[] = [];
  const fills: FillRequest[] = [];
  const hostMounts: HostMount[] = [];
  const binds: BindReport[] = [];
  const findings: Finding[] = [];
  const userCreated: string[] = [];
  const used = new Set<string>();
  // Two mount paths can slug alike (`/app.d`, `/app-d`): object names get a suffix rather than clash.
  const objectNames = new Set<string>();
  const uniqueObjectName = (wanted: string) => uniqueName(wanted, objectNames);
  let mountsClaim = false;
  const volumeName = (wanted: string) => uniqueName(dnsLabel(wanted), used);
  const mount = (name: string, mountPath: string, extra: Record<string, unknown> = {}) =>
    mounts.push({ name, mountPath, ...extra });
  // Docker copies the image's files into a new named or anonymous volume, unless told not to.
  const fill = (key: string, name: string, target: string, nocopy: boolean, subPath?: string, emptyDir = false) => {
    if (nocopy) findings.push(note(key, 'nocopy: the volume starts empty, the image files at the path are hidden'));
    else if (subPath) findings.push(note(key, 'mounted at a subPath: not filled from the image'));
    else {
      fills.push({ volume: name, target });
      // An emptyDir is new with every pod, so the copy runs every time; a claim is filled once.
      const when = emptyDir ? 'at every pod start' : 'at first start';
      findings.push(note(key, `filled from the image's ${target} ${when} (init container fill-${name})`));
    }
  };

  const bindMount = (v: BindMount, key: string) => {
    const decision: BindDecision = classifyBind(v, service, project);
    const shown = displayHostSide(v.hostSide);
    const report = (becomes: string) =>
      binds.push({
        key,
        hostPath: shown,
        target: v.target,
        class: decision.class,
        reason: decision.reason,
        becomes,
        ...(decision.credentials ? { credentials: decision.credentials } : {}),
      });
    const what = `${shown} is ${CLASS_HELP[decision.class]} (${decision.reason})`;
    const warnCredentials = (instead: string) => {
      if (decision.credentials)
        findings.push(partial(key, `CREDENTIALS: ${shown} -> ${v.target}: ${decision.credentials}; ${instead}`));
    };
    const outcome =
      decision.class === 'config'
        ? configObject(v, uniqueObjectName(suffixed(k8sName, pathSlug(v.target))))
        : undefined;
    warnCredentials(
      outcome
        ? `it is copied into ${outcome.object.kind} ${outcome.object.name}, readable by anyone who reads the manifests (base64 is not encryption): keep the output private, or leave the file out of the project and create the Secret yourself`
        : options.hostMounts === 'hostpath'
          ? 'it is mounted from the node as it is, never copied into a manifest'
          : 'it is not mounted and never copied into a manifest: give the pod what it needs as a Secret you create',
    );
    if (outcome) {
      files.push(outcome.object);
      const name = volumeName(suffixed(k8sName, pathSlug(v.target)).slice(0, 63));
      const ref = {
        ...(outcome.items ? { items: outcome.items } : {}),
        ...(outcome.defaultMode !== undefined ? { defaultMode: outcome.defaultMode } : {}),
      };
      volumes.push(
        outcome.object.kind === 'Secret'
          ? { name, secret: { secretName: outcome.object.name, ...ref } }
          : { name, configMap: { name: outcome.object.name, ...ref } },
      );
      mount(name, v.target, { readOnly: true, ...(outcome.subPath ? { subPath: outcome.subPath } : {}) });
      report(`${outcome.object.kind} ${outcome.object.name}`);
      findings.push(
        v.readOnly
          ? note(key, `${what}: ${outcome.object.kind} ${outcome.object.name}, mounted read-only`)
          : partial(
              key,
              `${what}: mounted read-only from ${outcome.object.kind} ${outcome.object.name}: writes from the container fail`,
            ),
      );
      return;
    }
    if (options.hostMounts === 'hostpath') {
      const root = mountRoot(v.hostSide);
      hostMounts.push({ host: root, nodePath: nodePath(root, options.localCluster) });
      const at = nodePath(v.hostSide, options.localCluster);
      const type = hostPathType(v);
      const name = volumeName(`host-${pathSlug(v.target)}`);
      volumes.push({ name, hostPath: { path: at, ...(type ? { type } : {}) } });
      mount(name, v.target, v.readOnly ? { readOnly: true } : {});
      report(`hostPath ${at}`);
      findings.push(
        (options.localCluster ? note : partial)(
          key,
          `${what}: hostPath ${at}${
            options.localCluster
              ? ", which the cluster's node mounts from this machine (see NOTES.md)"
              : ': every node must hold it there'
          }`,
        ),
      );
      return;
    }
    const fileLike = v.host.kind === 'file' || (v.host.kind === 'missing' && looksLikeFile(v.hostSide.path));
    if (decision.class === 'data' && !fileLike) {
      const claimName = uniqueObjectName(suffixed(k8sName, pathSlug(v.target)));
      claims.push({
        claimName,
        external: false,
        ...(options.kompose?.volumeSize ? { size: options.kompose.volumeSize } : {}),
        ...(options.kompose?.storageClassName ? { storageClassName: options.kompose.storageClassName } : {}),
      });
      mountsClaim = true;
      const name = volumeName(claimName);
      volumes.push({ name, persistentVolumeClaim: { claimName } });
      mount(name, v.target, v.readOnly ? { readOnly: true } : {});
      report(`PersistentVolumeClaim ${claimName}`);
      findings.push(partial(key, `${what}: PersistentVolumeClaim ${claimName} holds it, starting empty`));
      return;
    }
    report('not mounted');
    findings.push(
      dropped(
        key,
        decision.class === 'source'
          ? `${what}: not mounted, the image must contain the code (--host-mounts=hostpath mounts it from the node)`
          : decision.class === 'config'
            ? `${what}: not mounted, nothing to put in a ConfigMap (--host-mounts=hostpath mounts it from the node)`
            : `${what}: not mounted on this target (--host-mounts=hostpath mounts it from the node)`,
      ),
    );
  };

  service.volumes.forEach((v, i) => {
    const key = `volumes[${i}]`;
    const ro = v.readOnly ? { readOnly: true } : {};
    switch (v.type) {
      case 'volume': {
        if (v.source === undefined) {
          const name = volumeName(`anon-${pathSlug(v.target)}`);
          volumes.push({ name, emptyDir: {} });
          mount(name, v.target, ro);
          findings.push(partial(key, 'an anonymous volume is an emptyDir: it lives as long as the pod'));
          fill(key, name, v.target, v.nocopy, undefined, true);
          return;
        }
        const subPath = v.subpath ?? serviceVolumeOverrides(service, v.source, options.kompose).subPath;
        if (options.kompose?.volumeType === 'emptyDir' && !project.volumes[v.source]?.external) {
          const name = volumeName(v.source);
          volumes.push({ name, emptyDir: {} });
          mount(name, v.target, { ...ro, ...(subPath ? { subPath } : {}) });
          findings.push(partial(key, `an emptyDir (kompose.volume.type: emptyDir): the data lives as long as the pod`));
          fill(key, name, v.target, v.nocopy, subPath, true);
          return;
        }
        const claim = claimFor(project, service, v.source, options.kompose);
        claims.push(claim);
        if (claim.external) userCreated.push(`PersistentVolumeClaim/${claim.claimName}`);
        mountsClaim = true;
        const name = volumeName(claim.claimName);
        // Read-only goes on the mount only: the fill container must be able to write the volume.
        volumes.push({ name, persistentVolumeClaim: { claimName: claim.claimName } });
        mount(name, v.target, { ...ro, ...(subPath ? { subPath } : {}) });
        fill(key, name, v.target, v.nocopy, subPath);
        return;
      }
      case 'tmpfs': {
        const name = volumeName(`tmpfs-${pathSlug(v.target)}`);
        volumes.push({
          name,
          emptyDir: { medium: 'Memory', ...(v.sizeBytes ? { sizeLimit: memoryQuantity(v.sizeBytes) } : {}) },
        });
        mount(name, v.target, ro);
        return;
      }
      case 'bind':
        bindMount(v, key);
        return;
      default:
        findings.push(dropped(key, `${v.type} mounts have no Kubernetes equivalent`));
    }
  });

  const fileRefs = (kind: 'secrets' | 'configs') => {
    (kind === 'secrets' ? service.secrets : service.configs).forEach((ref, i) => {
      const def = kind === 'secrets' ? project.secrets[ref.source] : project.configs[ref.source];
      const objectName = dnsSubdomain(def?.external ? def.name : ref.source);
      if (def && (def.external || def.content === undefined))
        userCreated.push(`${kind === 'secrets' ? 'Secret' : 'ConfigMap'}/${objectName}`);
      const name = volumeName(`${kind === 'secrets' ? 'secret' : 'config'}-${ref.source}`);
      const mode = ref.mode !== undefined ? { defaultMode: ref.mode } : {};
      volumes.push(
        kind === 'secrets'
          ? { name, secret: { secretName: objectName, ...mode } }
          : { name, configMap: { name: objectName, ...mode } },
      );
      mount(name, ref.target, { readOnly: true, subPath: fileKey(ref.source) });
      if (ref.uid !== undefined || ref.gid !== undefined) {
        findings.push(
          partial(`${kind}[${i}]`, 'uid/gid of the file cannot be set; the pod fsGroup decides group ownership'),
        );
      }
    });
  };
  fileRefs('secrets');
  fileRefs('configs');

  if (service.shmSizeBytes !== undefined) {
    const name = volumeName('dshm');
    volumes.push({ name, emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(service.shmSizeBytes) } });
    mount(name, '/dev/shm');
  }
  findings.push(...komposeVolumeFindings(service, options.kompose, claims, binds));
  return { volumes, mounts, claims, files, fills, hostMounts, binds, mountsClaim, userCreated, findings };
}

const MOUNTS = [pod('volumes'), container('volumeMounts')];
const NAMED_MOUNTS = (glob: string) => [pod(`volumes[name=${glob}]`), container(`volumeMounts[name=${glob}]`)];

/** Mounts: named and anonymous volumes, binds, tmpfs, `/dev/shm`, and the files of secrets and configs. */
export const VOLUME_KEYS: KeyRules = {
  volumes: translated([...MOUNTS, pod('initContainers[name=fill-*]'), on('claims', 'spec'), on('files')], {
    unless: emptyIsNothing,
  }),
  ...each(['volumes[]', 'volumes[].type', 'volumes[].source', 'volumes[].target', 'volumes[].read_only'], part),
  'volumes[].bind': group,
  'volumes[].bind.create_host_path': part,
  'volumes[].bind.propagation': noEquivalent('mount propagation is not translated'),
  'volumes[].bind.selinux': noEquivalent(
    "SELinux relabelling is the kubelet's: it labels a pod's volumes for the pod's seLinuxOptions",
  ),
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
