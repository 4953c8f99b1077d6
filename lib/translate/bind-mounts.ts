/**
 * A bind mount is a statement about the host, not a request to copy files into manifests. Each
 * one is put in a class, with the reason:
 * - `config`: a small file or directory of configuration inside the project (nginx.conf,
 *   init.sql): a ConfigMap, or a Secret when it looks secret, on every target;
 * - `source`: code (a build context, a directory holding package.json, *.py, go.mod...): live on
 *   kind and minikube through a hostPath, dropped elsewhere (the image must contain it);
 * - `data`: a directory the container writes (./data, ./uploads, missing or empty ones): a
 *   hostPath on kind and minikube (the data stays in the project, as under Compose), a claim
 *   elsewhere; never a read-only ConfigMap;
 * - `host`: anything outside the project (absolute paths, `~`, `..`, symlinks pointing out): never
 *   read; a hostPath on kind and minikube, dropped elsewhere. Credential-looking paths are warned
 *   about loudly;
 * - `empty`: an empty directory mounted read-only: the container only ever sees an empty
 *   directory; a hostPath on kind and minikube, a read-only emptyDir elsewhere (never a claim).
 * Code is told from data by what it holds and where it sits: a directory the service's Dockerfile
 * copies to the very path it is mounted at, or one of a build context too big for a ConfigMap,
 * is the image's own code (`./src:/usr/src/code/src` with `build: .`), not data to keep on a claim.
 * Only the project is ever read, so the output is the same on every machine.
 */
import * as path from 'path';
import type { BindMount, ComposeProject, ComposeService, HostSide, ImageCopy } from '../compose/model';
import { displayHostSide } from '../compose/normalize/volumes';

export type BindClass = 'config' | 'data' | 'source' | 'host' | 'empty';

export interface BindDecision {
  readonly class: BindClass;
  readonly reason: string;
  /** Why the path looks like credentials, when it does. */
  readonly credentials?: string;
}

/** How host paths are handled: mounted from the node (`hostpath`) or left out (`drop`). */
export type HostMountMode = 'hostpath' | 'drop';

const SOURCE_MARKERS =
  /(^|\/)(package\.json|requirements\.txt|pyproject\.toml|go\.mod|Cargo\.toml|pom\.xml|build\.gradle|Gemfile|composer\.json|Dockerfile|manage\.py|tsconfig\.json|vite\.config\.\w+|setup\.py|src|(docker-)?compose(\.[\w-]+)?\.ya?ml|[^/]+\.(py|go|rb|java|rs|ts|tsx|jsx|js|mjs|php|cs|kt|scala|ex|exs))$/;
const CODE_FILE = /\.(py|go|rb|java|rs|ts|tsx|jsx|js|mjs|cjs|php|cs|kt|scala|ex|exs|vue|svelte)$/i;
/** Files a program writes as it runs: databases, journals, logs, locks, game worlds. */
const DATA_FILE =
  /\.(db|sqlite|sqlite3|db-journal|db-wal|db-shm|wal|log|rdb|aof|dat|lock|pid|mca|mcr|ibd|frm|mdb|ldb)$/i;
/** A package manager's lockfile is source, not a lock a running program holds. */
const LOCKFILE = /(^|\/)(yarn|poetry|Gemfile|Cargo|composer|Pipfile|flake|mix|pubspec|Podfile|packages)\.lock$/;
const isDataFile = (name: string) => DATA_FILE.test(name) && !LOCKFILE.test(name);
const DATA_NAME =
  /^(.*[-_.])?(data|db|database|pgdata|mysql|mariadb|postgres(ql)?|mongo(db)?|redis|elasticsearch|uploads?|media|storage|files|logs?|cache|tmp|temp|outputs?|runs|sessions?|flask_session|backups?|volumes?|state|models?|datasets?|downloads?|attachments)([-_.].*)?$/i;
const DATA_TARGET = /^\/(data|var\/lib|var\/log|var\/cache|srv\/data)(\/|$)/;
/** Placeholders that keep an empty directory in git: not content. */
export const KEEP_FILES = /(^|\/)\.(gitkeep|keep|gitignore)$/;
const CREDENTIALS =
  /(^|\/)(\.ssh|\.aws|\.kube|\.docker|\.gnupg|\.azure|\.config\/gcloud|\.netrc|\.npmrc|\.pypirc|\.git-credentials|\.vault-token)(\/|$)|\.(pem|key|p12|pfx|jks|keystore)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$|(^|\/)(shadow|gshadow)$|docker\.sock$/i;

/** The largest file or directory a ConfigMap can take (the API limit is 1 MiB with metadata). */
export const MAX_OBJECT_BYTES = 900 * 1024;

/** A data directory by its name or where it is mounted (`./pgdata`, `/srv/uploads`, `...:/var/lib/mysql`). */
export const looksLikeData = (bind: BindMount): boolean =>
  DATA_NAME.test(bind.hostSide.path.split('/').pop() ?? '') || DATA_TARGET.test(bind.target);

/** `nginx.conf`, `app.log`: a name with an extension (but `conf.d` style directories are not files). */
export const looksLikeFile = (name: string) => /\.[A-Za-z0-9]{2,8}$/.test(name) && !/\.d$/.test(name);

/** `rel` is `dir` or inside it (both relative to the project, `''` for the project itself). */
const within = (rel: string, dir: string) => dir === '' || rel === dir || rel.startsWith(`${dir}/`);

interface BuildContext {
  readonly service: string;
  /** Relative to the project. */
  readonly path: string;
}

/** `.` for the project itself, `./api` inside it. */
const shownInProject = (rel: string) => (rel === '' ? '.' : `./${rel}`);

const contextsOf = new WeakMap<ComposeProject, BuildContext[]>();

/** The project's local build contexts, computed once per project (every bind mount asks). */
function buildContexts(project: ComposeProject): BuildContext[] {
  const known = contextsOf.get(project);
  if (known) return known;
  const out: BuildContext[] = [];
  for (const s of Object.values(project.services)) {
    const context = s.build?.context;
    if (!context || !path.isAbsolute(context)) continue;
    const rel = path.relative(project.workingDir, context).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    out.push({ service: s.name, path: rel });
  }
  out.sort((a, b) => a.path.localeCompare(b.path) || a.service.localeCompare(b.service));
  contextsOf.set(project, out);
  return out;
}

export function credentialsReason(shown: string): string | undefined {
  if (/docker\.sock$/.test(shown)) return 'the Docker socket gives full control of the Docker engine';
  return CREDENTIALS.test(shown) ? 'it looks like credentials' : undefined;
}

/** `.ssh/id_rsa`, `certs/tls.key`: a file a ConfigMap must never hold. */
export const looksLikeCredentials = (rel: string) => CREDENTIALS.test(rel);

/** Credentials inside the project: the path itself, or a file in the mounted directory. */
function credentialsInProject(bind: BindMount): string | undefined {
  const rel = bind.hostSide.path;
  const own = credentialsReason(rel);
  if (own) return own;
  const host = bind.host;
  if (host.kind !== 'directory') return undefined;
  const held = [...Object.keys(host.files ?? {}), ...(host.entries ?? [])].find((f) => CREDENTIALS.test(`${rel}/${f}`));
  return held ? `it holds what looks like credentials (${held})` : undefined;
}

/** Source, by where the path sits relative to the build contexts. */
function sourceByContext(rel: string, contexts: readonly BuildContext[]): string | undefined {
  const exact = contexts.find((c) => c.path === rel);
  if (exact) return `the build context of ${exact.service}`;
  const holds = contexts.find((c) => rel !== c.path && within(c.path, rel));
  if (holds) return `it holds the build context of ${holds.service}`;
  return undefined;
}

/** The innermost build context holding `rel` (the project itself included). */
function contextHolding(rel: string, contexts: readonly BuildContext[]): BuildContext | undefined {
  return contexts.filter((c) => within(rel, c.path)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** What the Dockerfiles that build the service's image copy: its own build, or one of the same image. */
function imageCopies(service: ComposeService, project: ComposeProject): readonly ImageCopy[] {
  if (service.build) return service.build.copies ?? [];
  if (service.image === undefined) return [];
  return Object.values(project.services)
    .filter((s) => s.build && s.image === service.image)
    .flatMap((s) => s.build?.copies ?? []);
}

/** The image holds the directory where it is mounted: a COPY of it, or of a directory above it, lands there. */
function copiedThere(bind: BindMount, service: ComposeService, project: ComposeProject): string | undefined {
  const rel = bind.hostSide.path;
  const copy = imageCopies(service, project).find((c) => {
    if (!within(rel, c.from)) return false;
    const rest = rel === c.from ? '' : c.from === '' ? rel : rel.slice(c.from.length + 1);
    return (rest === '' ? c.to : `${c.to === '/' ? '' : c.to}/${rest}`) === bind.target;
  });
  return copy ? `the image holds it: ${copy.at} copies ${shownInProject(copy.from)} to ${copy.to}` : undefined;
}

/** Nothing but placeholders (`.gitkeep`), not even an empty subdirectory. */
function emptyDirectory(host: Extract<BindMount['host'], { kind: 'directory' }>): boolean {
  const names = [...Object.keys(host.files ?? {}), ...(host.entries ?? [])];
  return host.files !== undefined && names.every((f) => KEEP_FILES.test(f));
}

function classifyInProject(bind: BindMount, service: ComposeService, project: ComposeProject): BindDecision {
  const rel = bind.hostSide.path;
  const name = rel.split('/').pop() ?? rel;
  const contexts = buildContexts(project);
  const byContext = sourceByContext(rel, contexts);
  const insideContext = contexts.find((c) => c.path !== '' && within(rel, c.path));
  const dataNamed = DATA_NAME.test(name) || DATA_TARGET.test(bind.target);
  const host = bind.host;
  if (host.kind === 'file') {
    if (isDataFile(name)) return { class: 'data', reason: 'a database or log file the container writes' };
    if (CODE_FILE.test(name)) return { class: 'source', reason: 'a code file' };
    if (!host.content || host.sizeBytes > MAX_OBJECT_BYTES) {
      return { class: 'data', reason: `too big for a ConfigMap (${host.sizeBytes} bytes)` };
    }
    return { class: 'config', reason: 'a configuration file' };
  }
  if (host.kind === 'missing' && looksLikeFile(name)) {
    if (isDataFile(name)) return { class: 'data', reason: 'a database or log file, missing here' };
    if (CODE_FILE.test(name)) return { class: 'source', reason: 'a code file, missing here' };
  }
  if (byContext) return { class: 'source', reason: byContext };
  if (dataNamed) return { class: 'data', reason: 'a data directory (by its name)' };
  if (host.kind === 'missing') {
    if (insideContext) return { class: 'source', reason: `inside the build context of ${insideContext.service}` };
    if (bind.target === service.workingDir)
      return { class: 'source', reason: "mounted over the service's working_dir" };
    if (bind.readOnly) return { class: 'source', reason: 'missing here and read-only: files the container only reads' };
    if (looksLikeFile(name)) return { class: 'config', reason: 'a file missing here' };
    return { class: 'data', reason: 'missing here: Compose creates it empty and the container fills it' };
  }
  if (host.kind !== 'directory') return { class: 'host', reason: 'not a file or directory of the project' };
  const names = [...(host.files ? Object.keys(host.files) : []), ...(host.entries ?? [])];
  const marker = names.find((f) => SOURCE_MARKERS.test(f));
  if (marker) return { class: 'source', reason: `it holds code (${marker})` };
  if (bind.target === service.workingDir) return { class: 'source', reason: "mounted over the service's working_dir" };
  // A world save or an app's SQLite file: the container writes here, a read-only copy breaks it.
  const written = names.find((f) => isDataFile(f));
  if (written) return { class: 'data', reason: `it holds files the container writes (${written})` };
  // Under Compose the container sees an empty directory it cannot write: no data to keep.
  if (bind.readOnly && emptyDirectory(host)) return { class: 'empty', reason: 'nothing in it, mounted read-only' };
  if (host.files && Object.keys(host.files).every((f) => KEEP_FILES.test(f))) {
    return { class: 'data', reason: 'an empty directory the container fills' };
  }
  const copied = copiedThere(bind, service, project);
  if (copied) return { class: 'source', reason: copied };
  if (!host.files || host.totalBytes > MAX_OBJECT_BYTES) {
    const size = `too big for a ConfigMap (${host.fileCount} files, ${host.totalBytes} bytes)`;
    const context = contextHolding(rel, contexts);
    return context
      ? {
          class: 'source',
          reason: `part of the build context of ${context.service} (${shownInProject(context.path)}), ${size}`,
        }
      : { class: 'data', reason: size };
  }
  if (insideContext && !bind.readOnly) {
    return { class: 'source', reason: `inside the build context of ${insideContext.service}` };
  }
  return { class: 'config', reason: 'a small directory of configuration' };
}

export function classifyBind(bind: BindMount, service: ComposeService, project: ComposeProject): BindDecision {
  if (bind.hostSide.kind !== 'project') {
    const credentials = credentialsReason(displayHostSide(bind.hostSide));
    const where = /docker\.sock$/.test(bind.hostSide.path)
      ? 'the Docker socket of the host'
      : bind.hostSide.kind === 'home'
        ? 'in the home directory'
        : bind.hostSide.kind === 'absolute'
          ? 'an absolute path outside the project'
          : bind.hostSide.path.startsWith('..')
            ? 'outside the project'
            : 'a symlink pointing out of the project';
    return { class: 'host', reason: where, ...(credentials ? { credentials } : {}) };
  }
  // Inside the project a key file is configuration like any other: it becomes a Secret, loudly,
  // because the key then sits in the manifests (base64 is not encryption).
  const decision = classifyInProject(bind, service, project);
  const credentials = credentialsInProject(bind);
  return credentials ? { ...decision, credentials } : decision;
}

/** Where the node holds a host path (kind extraMounts and `minikube mount` put it there). */
export const NODE_ROOT = '/compose-cdk8s';

/**
 * The node path of a host side. The project is mounted once at `/compose-cdk8s/project`; other
 * host paths each get their own place. On a generic cluster an absolute path means the node's own.
 */
export function nodePath(side: HostSide, localCluster: boolean): string {
  const join = (...parts: string[]) => parts.filter((p) => p !== '').join('/');
  switch (side.kind) {
    case 'project':
      return join(NODE_ROOT, 'project', side.path);
    case 'outside':
      return join(NODE_ROOT, 'outside', side.path.replace(/(^|\/)\.\.(?=\/|$)/g, '$1_parent'));
    case 'home':
      return join(NODE_ROOT, 'home', side.path);
    default:
      return localCluster ? `${NODE_ROOT}/host${side.path}` : side.path;
  }
}

/**
 * The host directory a node mount comes from: the project itself for any path inside it (one
 * mount for all), else the path itself.
 */
export function mountRoot(side: HostSide): HostSide {
  return side.kind === 'project' ? { kind: 'project', path: '' } : side;
}
