/**
 * Docker fills a new volume from the image: mounted over `/app/node_modules` or nginx's
 * `/usr/share/nginx/html`, a fresh volume first receives what the image holds there. Kubernetes
 * mounts an empty volume that hides those files. So before the service starts, an init container
 * running the service's own image copies the image's directory into the volume, once: only when
 * the volume is empty, keeping ownership, modes and symlinks, and giving the volume's root the
 * directory's owner and mode (as Docker does, and as a non-root image needs to write there).
 *
 * The copy is staged inside the volume and moved into place with renames, so a pod killed
 * half-way never leaves a half-filled volume that a later start would take for data.
 *
 * A new Docker volume is an empty directory; a new claim is often the root of a fresh ext4
 * filesystem, which holds `lost+found`, and postgres' initdb and mysqld refuse to initialize a
 * directory that is not empty. So the `lost+found` of a brand-new filesystem (the only entry of
 * the volume, itself empty) is removed first: by the fill of a claim, or, for a claim that is not
 * filled (nocopy, a bind-mounted data directory on a claim), by an init container of its own (an
 * emptyDir never has one). Nothing else is ever removed; a filesystem check recreates
 * `lost+found` when it needs one.
 */
import { escapeDollar } from './container';
import { WAIT_IMAGE } from './start-order';

/** Where the init container sees the volume; the image's own path stays visible at its place. */
export const FILL_MOUNT_PATH = '/compose-cdk8s-volume';
const COPYING = '.compose-cdk8s-copying';
const COPIED = '.compose-cdk8s-copied';

export interface FillRequest {
  /** Pod volume name. */
  readonly volume: string;
  /** Where the service mounts it: the image path to copy from. */
  readonly target: string;
  /** A claim, which may be a new filesystem holding `lost+found` (an emptyDir never is). */
  readonly claim?: boolean;
}

/** Single-quoted for sh. */
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The image of the init containers of claims that are not filled: it has sh, rmdir and id. */
export const LOST_FOUND_IMAGE = WAIT_IMAGE;

/** The start of the scripts of both init containers: `vars`, `$dst`, `log` and `each`. */
function preamble(label: string, volumePath: string, vars: readonly string[] = []): string[] {
  return [
    'set -eu',
    ...vars,
    `dst=${shq(volumePath)}`,
    `log() { echo "${label}: $*"; }`,
    // Every entry of a directory, dotfiles included, without ls (its output is not for scripts).
    'each() { for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do if [ -e "$e" ] || [ -L "$e" ]; then "$2" "$e"; fi; done; }',
  ];
}

/**
 * Run once the volume is known to hold nothing but (maybe) `lost+found`: removes it when it is an
 * empty directory. rmdir removes only an empty directory, so files a filesystem check saved
 * there are never lost, whatever happens between the look and the removal. Never fails the pod:
 * the service may well start with it (a web root does).
 */
const REMOVE_LOST_FOUND = [
  'lf="$dst/lost+found"',
  'kept=; keep() { kept="${1##*/}"; }',
  'if [ -d "$lf" ] && [ ! -L "$lf" ]; then',
  '  each "$lf" keep',
  '  if [ -n "$kept" ]; then log "lost+found holds files ($kept...): left in place";',
  '  elif rmdir "$lf" 2>/dev/null; then log "removed the empty lost+found of the new filesystem: a new Docker volume is empty";',
  `  else log "could not remove the empty lost+found (as uid $(id -u 2>/dev/null || echo '?'): not root, or the volume is read-only): the service sees it, and postgres or mysql refuse to initialize a directory that is not empty (point their data directory at a subdirectory: PGDATA=/var/lib/postgresql/data/pgdata)"; fi`,
  'fi',
];

/**
 * The fill script, as sh runs it (before Kubernetes' `$(...)` escaping). `volumePath` is where
 * the volume is mounted: FILL_MOUNT_PATH in the pod, anywhere in a test.
 */
export function fillScript(target: string, label: string, volumePath: string = FILL_MOUNT_PATH, claim = false): string {
  return [
    ...preamble(label, volumePath, [`src=${shq(target)}`]),
    `place() { n=\${1##*/}; if [ ! -e "$dst/$n" ] && [ ! -L "$dst/$n" ]; then mv "$1" "$dst/$n"; fi; }`,
    'finish() {',
    `  each "$dst/${COPIED}" place`,
    `  rm -rf "$dst/${COPIED}"`,
    '  chown "$(stat -c %u:%g "$src")" "$dst" || log "could not give the volume the owner of $src"',
    '  chmod "$(stat -c %a "$src")" "$dst" || log "could not give the volume the mode of $src"',
    '}',
    `if [ -d "$dst/${COPIED}" ]; then log "finishing an interrupted fill from $src"; finish; exit 0; fi`,
    `rm -rf "$dst/${COPYING}"`,
    `holds() { case "\${1##*/}" in lost+found) ;; *) log "the volume already holds data: nothing copied from $src"; exit 0 ;; esac; }`,
    'each "$dst" holds',
    ...(claim ? REMOVE_LOST_FOUND : []),
    'if [ ! -d "$src" ]; then log "the image has no directory $src: the volume starts empty"; exit 0; fi',
    `log "copying the image's $src into the new volume, as Docker does"`,
    `mkdir "$dst/${COPYING}"`,
    `cp -a "$src/." "$dst/${COPYING}/"`,
    `mv "$dst/${COPYING}" "$dst/${COPIED}"`,
    'finish',
  ].join('\n');
}

/**
 * The init container for one request. It runs as root whatever the service's user: like the
 * Docker daemon, it must be able to keep the image's ownership and own the volume's root.
 */
export function fillInitContainer(
  request: FillRequest,
  image: string,
  imagePullPolicy: string | undefined,
): Record<string, unknown> {
  const name = `fill-${request.volume}`.slice(0, 63).replace(/-+$/, '');
  return {
    name,
    image,
    ...(imagePullPolicy ? { imagePullPolicy } : {}),
    command: ['sh', '-c', escapeDollar(fillScript(request.target, name, FILL_MOUNT_PATH, request.claim))],
    securityContext: { runAsUser: 0 },
    volumeMounts: [{ name: request.volume, mountPath: FILL_MOUNT_PATH }],
  };
}

/**
 * The script of a claim that is not filled from the image: `lost+found` goes when it is all a
 * new filesystem holds; a volume holding anything else is left as it is.
 */
export function lostFoundScript(label: string, volumePath: string = FILL_MOUNT_PATH): string {
  return [
    ...preamble(label, volumePath),
    `holds() { case "\${1##*/}" in lost+found) ;; *) log "the volume holds data: left as it is"; exit 0 ;; esac; }`,
    'each "$dst" holds',
    ...REMOVE_LOST_FOUND,
  ].join('\n');
}

/** `lost-found-<volume>`: the init container of a claim that starts empty. */
export const lostFoundContainerName = (volume: string) => `lost-found-${volume}`.slice(0, 63).replace(/-+$/, '');

/**
 * The init container of a claim that starts empty, as root (only root can remove the `lost+found`
 * mkfs made). It runs busybox rather than the service's image, which may have no shell.
 */
export function lostFoundInitContainer(volume: string): Record<string, unknown> {
  const name = lostFoundContainerName(volume);
  return {
    name,
    image: LOST_FOUND_IMAGE,
    command: ['sh', '-c', escapeDollar(lostFoundScript(name))],
    securityContext: { runAsUser: 0 },
    volumeMounts: [{ name: volume, mountPath: FILL_MOUNT_PATH }],
  };
}
