/**
 * Service mounts -> pod volumes. Named volumes become PersistentVolumeClaims; anonymous volumes,
 * tmpfs and shm_size become emptyDirs; Compose secrets and configs are mounted from Secrets and
 * ConfigMaps. Bind mounts depend on what the host path holds: configuration (small files, small
 * directories) becomes a ConfigMap (a Secret when it looks secret), a missing or empty directory
 * is a data directory and gets a claim, and a source tree is not translated: mounting an empty
 * volume over the image's code would break the app, and the image already holds it.
 */
import * as path from 'path';
import type { BindMount, ComposeProject, ComposeService } from '../compose/model';
import { memoryQuantity } from './resources';
import { dnsLabel, dnsSubdomain, pathSlug, suffixed } from './names';
import { dropped, partial, type Finding } from './findings';

export interface ClaimRequest {
  /** Compose volume key, or undefined for a claim made for a bind-mounted data directory. */
  readonly volume?: string;
  readonly claimName: string;
  readonly size?: string;
  /** Where size and class were set (`volumes.data.x-k8s`, `services.db.labels`), for error messages. */
  readonly setIn?: string;
  readonly storageClassName?: string;
  readonly accessModes?: string[];
  readonly external: boolean;
}

export interface FileObject {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** key -> bytes */
  readonly data: Readonly<Record<string, Buffer>>;
}

export interface VolumePlan {
  readonly volumes: Record<string, unknown>[];
  readonly mounts: Record<string, unknown>[];
  readonly claims: ClaimRequest[];
  readonly files: FileObject[];
  /** True when a ReadWriteOnce claim is mounted: rollouts must not overlap (strategy Recreate). */
  readonly mountsClaim: boolean;
  readonly findings: Finding[];
}

const SOURCE_MARKERS =
  /(^|\/)(package\.json|requirements\.txt|pyproject\.toml|go\.mod|Cargo\.toml|pom\.xml|build\.gradle|Gemfile|composer\.json|Dockerfile|manage\.py|tsconfig\.json|vite\.config\.\w+|setup\.py|(docker-)?compose(\.[\w-]+)?\.ya?ml|[^/]+\.(py|go|rb|java|rs|ts|tsx|php))$/;
const SECRET_FILE =
  /(^|\/)(\.env(\..*)?|.*\.(key|pem|p12|pfx|crt|jks)|.*(secret|password|passwd|credential|token).*)$/i;
const KEEP_FILES = /(^|\/)\.(gitkeep|keep|gitignore)$/;
const MAX_OBJECT_BYTES = 900 * 1024;

function xk8s(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Per-service overrides: kompose labels for all its volumes, `x-k8s.volumes.<name>` per volume. */
function serviceVolumeOverrides(service: ComposeService, volume: string) {
  const perVolume = xk8s(xk8s(xk8s(service.extensions['x-k8s']).volumes)[volume]);
  return {
    size: str(perVolume.size) ?? service.labels['kompose.volume.size'],
    storageClassName: str(perVolume.storageClassName) ?? service.labels['kompose.volume.storage-class-name'],
    subPath: str(perVolume.subPath) ?? service.labels['kompose.volume.subpath'],
  };
}

export function claimFor(project: ComposeProject, service: ComposeService, volume: string): ClaimRequest {
  const def = project.volumes[volume];
  const ext = xk8s(def?.extensions['x-k8s']);
  const overrides = serviceVolumeOverrides(service, volume);
  const modes = Array.isArray(ext.accessModes)
    ? ext.accessModes.filter((m): m is string => typeof m === 'string')
    : undefined;
  return {
    volume,
    // `name:` is the volume's real name under Compose (external or not); the key is only a handle.
    claimName: dnsSubdomain(def?.name ?? volume),
    size: str(ext.size) ?? overrides.size,
    storageClassName: str(ext.storageClassName) ?? overrides.storageClassName,
    setIn: str(ext.size) || str(ext.storageClassName) ? `volumes.${volume}.x-k8s` : `services.${service.name}`,
    accessModes: modes && modes.length > 0 ? modes : undefined,
    external: def?.external ?? false,
  };
}

/** `./nginx/conf.d` for paths inside the project, as the user wrote them; absolute otherwise. */
function displayPath(source: string, workingDir: string): string {
  const rel = path.relative(workingDir, source);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? source : `./${rel}`;
}

/** ConfigMap keys allow `[-._a-zA-Z0-9]`; nested paths keep their layout through `items`. */
export function fileKey(rel: string): string {
  return rel.replace(/\//g, '__').replace(/[^-._a-zA-Z0-9]/g, '_') || 'file';
}

type BindOutcome =
  | { kind: 'file-object'; object: FileObject; items?: { key: string; path: string }[]; subPath?: string }
  | { kind: 'claim' }
  | { kind: 'dropped'; why: string };

function classifyBind(bind: BindMount, service: ComposeService, objectName: string, workingDir: string): BindOutcome {
  const host = bind.host;
  const shown = displayPath(bind.source, workingDir);
  if (bind.source === '/var/run/docker.sock' || bind.source.endsWith('/docker.sock')) {
    return { kind: 'dropped', why: 'the Docker socket does not exist on Kubernetes nodes' };
  }
  if (host.kind === 'missing') {
    // Seen from here it could be a source tree or a data directory; mounting an empty volume over
    // the image's code would break the app, so nothing is mounted and the user decides.
    return {
      kind: 'dropped',
      why: `${shown} does not exist where the project was converted; the image must hold these files, or use a named volume for data`,
    };
  }
  if (host.kind === 'file') {
    if (!host.content || host.sizeBytes > MAX_OBJECT_BYTES) {
      return { kind: 'dropped', why: `${shown} is too big for a ConfigMap (1 MiB); put it in the image` };
    }
    const key = fileKey(path.basename(bind.source));
    const kind = SECRET_FILE.test(bind.source) ? 'Secret' : 'ConfigMap';
    return { kind: 'file-object', object: { kind, name: objectName, data: { [key]: host.content } }, subPath: key };
  }
  const files = host.files;
  const names = files ? Object.keys(files) : [];
  if (
    !files ||
    host.totalBytes > MAX_OBJECT_BYTES ||
    names.some((f) => SOURCE_MARKERS.test(f)) ||
    bind.target === service.workingDir
  ) {
    return {
      kind: 'dropped',
      why: `${shown} looks like a source tree (${host.fileCount} files); the image must contain it (a mount would hide the image's files)`,
    };
  }
  const content = names.filter((f) => !KEEP_FILES.test(f));
  if (content.length === 0) return { kind: 'claim' };
  const kind = content.some((f) => SECRET_FILE.test(f)) ? 'Secret' : 'ConfigMap';
  const data: Record<string, Buffer> = {};
  const items = content.sort().map((rel) => {
    const key = fileKey(rel);
    data[key] = files[rel];
    return { key, path: rel };
  });
  return { kind: 'file-object', object: { kind, name: objectName, data }, items };
}

export function planVolumes(project: ComposeProject, service: ComposeService, k8sName: string): VolumePlan {
  const volumes: Record<string, unknown>[] = [];
  const mounts: Record<string, unknown>[] = [];
  const claims: ClaimRequest[] = [];
  const files: FileObject[] = [];
  const findings: Finding[] = [];
  const used = new Set<string>();
  // Two mount paths can slug alike (`/app.d`, `/app-d`): object names get a suffix rather than clash.
  const objectNames = new Set<string>();
  const uniqueObjectName = (wanted: string) => {
    let name = wanted;
    for (let i = 2; objectNames.has(name); i++) name = suffixed(wanted, String(i));
    objectNames.add(name);
    return name;
  };
  let mountsClaim = false;
  const volumeName = (wanted: string) => {
    let name = dnsLabel(wanted);
    for (let i = 2; used.has(name); i++) name = suffixed(dnsLabel(wanted), String(i));
    used.add(name);
    return name;
  };
  const mount = (name: string, mountPath: string, extra: Record<string, unknown> = {}) =>
    mounts.push({ name, mountPath, ...extra });

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
          return;
        }
        const claim = claimFor(project, service, v.source);
        claims.push(claim);
        mountsClaim = true;
        const name = volumeName(claim.claimName);
        volumes.push({ name, persistentVolumeClaim: { claimName: claim.claimName, ...ro } });
        const subPath = v.subpath ?? serviceVolumeOverrides(service, v.source).subPath;
        mount(name, v.target, { ...ro, ...(subPath ? { subPath } : {}) });
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
      case 'bind': {
        const objectName = uniqueObjectName(suffixed(k8sName, pathSlug(v.target)));
        const outcome = classifyBind(v, service, objectName, project.workingDir);
        if (outcome.kind === 'dropped') {
          findings.push(dropped(key, outcome.why));
          return;
        }
        if (outcome.kind === 'claim') {
          const claimName = objectName;
          claims.push({ claimName, external: false });
          mountsClaim = true;
          const name = volumeName(claimName);
          volumes.push({ name, persistentVolumeClaim: { claimName, ...ro } });
          mount(name, v.target, ro);
          findings.push(
            partial(
              key,
              `${v.source} is a data directory: a PersistentVolumeClaim ${claimName} holds it (starts empty)`,
            ),
          );
          return;
        }
        files.push(outcome.object);
        const name = volumeName(suffixed(k8sName, pathSlug(v.target)).slice(0, 63));
        const source =
          outcome.object.kind === 'Secret'
            ? { secret: { secretName: outcome.object.name, ...(outcome.items ? { items: outcome.items } : {}) } }
            : { configMap: { name: outcome.object.name, ...(outcome.items ? { items: outcome.items } : {}) } };
        volumes.push({ name, ...source });
        mount(name, v.target, { readOnly: true, ...(outcome.subPath ? { subPath: outcome.subPath } : {}) });
        if (!v.readOnly) {
          findings.push(
            partial(
              key,
              `mounted read-only from ${outcome.object.kind} ${outcome.object.name}: writes from the container fail`,
            ),
          );
        }
        return;
      }
      default:
        findings.push(dropped(key, `${v.type} mounts have no Kubernetes equivalent`));
    }
  });

  const fileRefs = (kind: 'secrets' | 'configs') => {
    (kind === 'secrets' ? service.secrets : service.configs).forEach((ref, i) => {
      const def = kind === 'secrets' ? project.secrets[ref.source] : project.configs[ref.source];
      const objectName = dnsSubdomain(def?.external ? def.name : ref.source);
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
  return { volumes, mounts, claims, files, mountsClaim, findings };
}
