/**
 * A pod's volumes as the API server checks them: a DNS-1123 name used once, at most one source,
 * and each source's own rules (names it needs, file modes, item keys and paths, host path types).
 * A volume in error is no volume to mount, as for the server.
 */
import { list, record, text, type Json } from '../problems';
import { quantityValue } from './quantity';
import { at, grammar, required, type Emit } from './emit';
import { dnsLabel, itemPath, noBacksteps } from './grammar';

/** Every volume source of the core/v1 API: a volume names exactly one. */
const SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
] as const;

const HOST_PATH_TYPES = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];

function fileMode(value: unknown, path: string, emit: Emit): void {
  if (typeof value === 'number' && (value < 0 || value > 0o777))
    emit(path, `${value} is not a file mode (0 to 0777, octal; 511 in decimal)`);
}

function items(source: Json, path: string, emit: Emit): void {
  list(source.items)
    .map(record)
    .forEach((item, i) => {
      const ip = `${path}.items[${i}]`;
      required(item.key, `${ip}.key`, emit);
      required(item.path, `${ip}.path`, emit, itemPath);
      fileMode(item.mode, `${ip}.mode`, emit);
    });
}

function checkSource(name: string, v: Json, path: string, emit: Emit): void {
  const hostPath = record(v.hostPath);
  if (v.hostPath !== undefined) {
    if (!text(hostPath.path)) emit(`${path}.hostPath.path`, 'required: must not be empty');
    else grammar(hostPath.path, noBacksteps, `${path}.hostPath.path`, emit);
    if (hostPath.type !== undefined && !HOST_PATH_TYPES.includes(String(hostPath.type)))
      emit(`${path}.hostPath.type`, `must be one of ${HOST_PATH_TYPES.filter(Boolean).join(', ')}`);
  }
  if (v.emptyDir !== undefined) {
    const size = quantityValue(record(v.emptyDir).sizeLimit);
    if (size !== undefined && size < 0) emit(`${path}.emptyDir.sizeLimit`, 'must not be negative');
  }
  for (const [source, nameField] of [
    ['secret', 'secretName'],
    ['configMap', 'name'],
  ] as const) {
    if (v[source] === undefined) continue;
    const s = record(v[source]);
    required(s[nameField], `${path}.${source}.${nameField}`, emit);
    fileMode(s.defaultMode, `${path}.${source}.defaultMode`, emit);
    items(s, `${path}.${source}`, emit);
  }
  if (v.persistentVolumeClaim !== undefined)
    required(record(v.persistentVolumeClaim).claimName, `${path}.persistentVolumeClaim.claimName`, emit);
  if (name === '') emit(`${path}.name`, 'required: must not be empty');
}

/**
 * Checks the volumes and returns the names a container may mount: those without an error
 * (`claimVolumes`: a StatefulSet's claim templates, mounted by name too).
 */
export function checkVolumes(
  volumes: readonly Json[],
  path: string,
  emit: Emit,
  claimVolumes: readonly string[] = [],
): Set<string> {
  const mountable = new Set<string>();
  const seen = new Set<string>();
  for (const name of claimVolumes) {
    if (seen.has(name)) emit('spec.volumeClaimTemplates', `duplicate volume claim template "${name}"`);
    seen.add(name);
    mountable.add(name);
  }
  volumes.forEach((v, i) => {
    const vp = `${path}[${i}]`;
    let failed = false;
    const local: Emit = (p, m, s) => {
      failed ||= s !== 'warning';
      emit(p, m, s);
    };
    const name = text(v.name) ?? '';
    if (name !== '') grammar(name, dnsLabel, at(vp, 'name'), local);
    if (seen.has(name)) local(at(vp, 'name'), `duplicate volume "${name}"`);
    seen.add(name);
    const sources = SOURCES.filter((s) => v[s] !== undefined);
    // No source at all is an emptyDir: the API server's default.
    if (sources.length > 1) local(vp, `names ${sources.join(' and ')}: a volume has exactly one source`);
    checkSource(name, v, vp, local);
    if (!failed) mountable.add(name);
  });
  return mountable;
}
