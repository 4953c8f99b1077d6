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
 */
import { escapeDollar } from './container';

/** Where the init container sees the volume; the image's own path stays visible at its place. */
export const FILL_MOUNT_PATH = '/compose-cdk8s-volume';
const COPYING = '.compose-cdk8s-copying';
const COPIED = '.compose-cdk8s-copied';

export interface FillRequest {
  /** Pod volume name. */
  readonly volume: string;
  /** Where the service mounts it: the image path to copy from. */
  readonly target: string;
}

/** Single-quoted for sh. */
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The fill script, as sh runs it (before Kubernetes' `$(...)` escaping). `volumePath` is where
 * the volume is mounted: FILL_MOUNT_PATH in the pod, anywhere in a test.
 */
export function fillScript(target: string, label: string, volumePath: string = FILL_MOUNT_PATH): string {
  return [
    'set -eu',
    `src=${shq(target)}`,
    `dst=${shq(volumePath)}`,
    `log() { echo "${label}: $*"; }`,
    // Every entry of a directory, dotfiles included, without ls (its output is not for scripts).
    'each() { for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do if [ -e "$e" ] || [ -L "$e" ]; then "$2" "$e"; fi; done; }',
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
    command: ['sh', '-c', escapeDollar(fillScript(request.target, name))],
    securityContext: { runAsUser: 0 },
    volumeMounts: [{ name: request.volume, mountPath: FILL_MOUNT_PATH }],
  };
}
