/**
 * One bind mount, by its class (bind-mounts.ts): configuration becomes a ConfigMap (a Secret when
 * it looks secret), mounted read-only; code, data and host paths a hostPath when the node has the
 * host's files (`--host-mounts=hostpath`); otherwise data a claim that starts empty, an empty
 * read-only directory a read-only emptyDir, and the rest is left out, with a warning. Credentials are warned about whatever becomes of them.
 */
import type { BindMount, ComposeProject, ComposeService } from '../compose/model';
import { displayHostSide } from '../compose/normalize/volumes';
import {
  classifyBind,
  looksLikeCredentials,
  looksLikeData,
  looksLikeFile,
  mountRoot,
  nodePath,
  KEEP_FILES,
  MAX_OBJECT_BYTES,
  type BindClass,
  type BindDecision,
} from './bind-mounts';
import { dropped, note, partial } from './findings';
import { dnsSubdomain, pathSlug, suffixed, uniqueName } from './names';
import type { FileObject, VolumePlanBuilder } from './volume-plan';

const SECRET_FILE =
  /(^|\/)(\.env(\..*)?|.*\.(key|pem|p12|pfx|crt|jks)|.*(secret|password|passwd|credential|token).*)$/i;

/** A file whose name says secret (`.env`, `db_password.txt`) or credentials (`.ssh/id_rsa`). */
const looksSecret = (name: string, rel: string = name) => SECRET_FILE.test(name) || looksLikeCredentials(rel);

const sharedCache = new WeakMap<ComposeProject, ReadonlyMap<string, string>>();

/**
 * Bind sources of the project that several services mount (an nginx.conf, a certificates
 * directory): one ConfigMap or Secret each, named after the path (`conf/nginx.conf` ->
 * `file-conf-nginx.conf`), instead of a copy per service. Keyed by the path in the project.
 */
export function sharedFileNames(project: ComposeProject): ReadonlyMap<string, string> {
  let names = sharedCache.get(project);
  if (names) return names;
  const users = new Map<string, Set<string>>();
  for (const service of Object.values(project.services))
    for (const v of service.volumes)
      if (v.type === 'bind' && v.hostSide.kind === 'project' && v.hostSide.path !== '')
        users.set(v.hostSide.path, (users.get(v.hostSide.path) ?? new Set()).add(service.name));
  const taken = new Set<string>();
  names = new Map(
    [...users]
      .filter(([, s]) => s.size > 1)
      .map(([p]) => [p, uniqueName(dnsSubdomain(`file-${p.replace(/\//g, '-')}`), taken)] as const),
  );
  sharedCache.set(project, names);
  return names;
}

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
function configObject(bind: BindMount, objectName: string, shared: boolean): ConfigOutcome | undefined {
  const host = bind.host;
  const own = shared ? { shared: true } : {};
  if (host.kind === 'file' && host.content) {
    const key = fileKey(bind.hostSide.path.split('/').pop() ?? 'file');
    const kind = looksSecret(bind.hostSide.path) ? 'Secret' : 'ConfigMap';
    const mode = executableMode(host.mode);
    return {
      object: { kind, name: objectName, data: { [key]: host.content }, ...own },
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
  return { object: { kind, name: objectName, data, ...own }, items };
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
  empty: 'an empty directory',
};

/** How one bind mount was decided, for its findings and its line in the summary. */
interface BindContext {
  readonly b: VolumePlanBuilder;
  readonly v: BindMount;
  readonly key: string;
  readonly decision: BindDecision;
  /** `./conf is configuration (a configuration file)` */
  readonly what: string;
  report(becomes: string): void;
}

function asConfigObject(c: BindContext, outcome: ConfigOutcome): void {
  const { b, v, key } = c;
  b.files.push(outcome.object);
  const name = b.volumeName(suffixed(b.k8sName, pathSlug(v.target)).slice(0, 63));
  const ref = {
    ...(outcome.items ? { items: outcome.items } : {}),
    ...(outcome.defaultMode !== undefined ? { defaultMode: outcome.defaultMode } : {}),
  };
  b.add(
    outcome.object.kind === 'Secret'
      ? { name, secret: { secretName: outcome.object.name, ...ref } }
      : { name, configMap: { name: outcome.object.name, ...ref } },
    v.target,
    { readOnly: true, ...(outcome.subPath ? { subPath: outcome.subPath } : {}) },
  );
  c.report(`${outcome.object.kind} ${outcome.object.name}`);
  b.findings.push(
    v.readOnly
      ? note(key, `${c.what}: ${outcome.object.kind} ${outcome.object.name}, mounted read-only`)
      : partial(
          key,
          `${c.what}: mounted read-only from ${outcome.object.kind} ${outcome.object.name}: writes from the container fail`,
        ),
  );
}

function asHostPath(c: BindContext): void {
  const { b, v, key } = c;
  const local = b.options.localCluster;
  const root = mountRoot(v.hostSide);
  b.hostMounts.push({ host: root, nodePath: nodePath(root, local) });
  const at = nodePath(v.hostSide, local);
  const type = hostPathType(v);
  b.add(
    { name: b.volumeName(`host-${pathSlug(v.target)}`), hostPath: { path: at, ...(type ? { type } : {}) } },
    v.target,
    v.readOnly ? { readOnly: true } : {},
  );
  c.report(`hostPath ${at}`);
  // A database's directory written in place: a rolling update would start a second one on the
  // same files. Outside the project too (`/srv/pgdata:/var/lib/postgresql/data`).
  const data = c.decision.class === 'data' || (c.decision.class === 'host' && looksLikeData(v));
  if (data && !v.readOnly)
    b.exclusive ??= {
      key,
      why: `the Deployment writes a data directory of the node in place (${v.target})`,
      risk: 'a rolling update would run the old and the new pod on the same files at once (two databases on one directory)',
    };
  b.findings.push(
    (local ? note : partial)(
      key,
      `${c.what}: hostPath ${at}${
        local ? ", which the cluster's node mounts from this machine (see NOTES.md)" : ': every node must hold it there'
      }`,
    ),
  );
}

function asDataClaim(c: BindContext): void {
  const { b, v, key } = c;
  const kompose = b.options.kompose;
  const claimName = b.objectName(suffixed(b.k8sName, pathSlug(v.target)));
  b.claims.push({
    claimName,
    external: false,
    ...(kompose?.volumeSize ? { size: kompose.volumeSize } : {}),
    ...(kompose?.storageClassName ? { storageClassName: kompose.storageClassName } : {}),
  });
  b.mountsClaim(key);
  const volume = b.volumeName(claimName);
  b.add({ name: volume, persistentVolumeClaim: { claimName } }, v.target, v.readOnly ? { readOnly: true } : {});
  c.report(`PersistentVolumeClaim ${claimName}`);
  b.findings.push(
    partial(key, `${c.what}: PersistentVolumeClaim ${claimName} holds it, starting empty (${b.startEmpty(volume)})`),
  );
}

/** Read-only and empty under Compose: an emptyDir is all of it, with nothing to keep. */
function asEmptyDir(c: BindContext): void {
  const { b, v, key } = c;
  b.add({ name: b.volumeName(`empty-${pathSlug(v.target)}`), emptyDir: {} }, v.target, { readOnly: true });
  c.report('emptyDir (read-only)');
  b.findings.push(
    note(key, `${c.what}: an emptyDir mounted read-only, the empty directory the container sees under Compose`),
  );
}

function notMounted(c: BindContext): void {
  c.report('not mounted');
  const how = '(--host-mounts=hostpath mounts it from the node)';
  c.b.findings.push(
    dropped(
      c.key,
      c.decision.class === 'source'
        ? `${c.what}: not mounted, the image must contain the code ${how}`
        : c.decision.class === 'config'
          ? `${c.what}: not mounted, nothing to put in a ConfigMap ${how}`
          : `${c.what}: not mounted on this target ${how}`,
    ),
  );
}

export function addBindMount(
  b: VolumePlanBuilder,
  v: BindMount,
  key: string,
  project: ComposeProject,
  service: ComposeService,
): void {
  const decision = classifyBind(v, service, project);
  const shown = displayHostSide(v.hostSide);
  const c: BindContext = {
    b,
    v,
    key,
    decision,
    what: `${shown} is ${CLASS_HELP[decision.class]} (${decision.reason})`,
    report: (becomes) =>
      b.binds.push({
        key,
        hostPath: shown,
        target: v.target,
        class: decision.class,
        reason: decision.reason,
        becomes,
        ...(decision.credentials ? { credentials: decision.credentials } : {}),
      }),
  };
  const shared = v.hostSide.kind === 'project' ? sharedFileNames(project).get(v.hostSide.path) : undefined;
  const outcome =
    decision.class === 'config'
      ? configObject(v, shared ?? b.objectName(suffixed(b.k8sName, pathSlug(v.target))), shared !== undefined)
      : undefined;
  if (decision.credentials) {
    const instead = outcome
      ? `it is copied into ${outcome.object.kind} ${outcome.object.name}, readable by anyone who reads the manifests (base64 is not encryption): keep the output private, or leave the file out of the project and create the Secret yourself`
      : b.options.hostMounts === 'hostpath'
        ? 'it is mounted from the node as it is, never copied into a manifest'
        : 'it is not mounted and never copied into a manifest: give the pod what it needs as a Secret you create';
    b.findings.push(partial(key, `CREDENTIALS: ${shown} -> ${v.target}: ${decision.credentials}; ${instead}`));
  }
  if (outcome) return asConfigObject(c, outcome);
  if (b.options.hostMounts === 'hostpath') return asHostPath(c);
  const fileLike = v.host.kind === 'file' || (v.host.kind === 'missing' && looksLikeFile(v.hostSide.path));
  if (decision.class === 'data' && !fileLike) return asDataClaim(c);
  if (decision.class === 'empty') return asEmptyDir(c);
  notMounted(c);
}
