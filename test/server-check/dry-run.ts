/**
 * The API server's verdict on each object, by `kubectl apply --dry-run=server` (client-side apply,
 * as up.sh applies; nothing stored), with kubectl's default strict field validation. kubectl's
 * strict mode costs it ~40 ms of CPU per object, so objects are first judged many to a call
 * with field validation off, which refuses everything but unknown fields:
 *
 * - `-o json` prints the objects as the server would store them, each with the copy of what was
 *   sent that client-side apply puts in its last-applied-configuration annotation: a field sent
 *   but missing from what the server keeps is one it did not know, which strict validation
 *   refuses. Those objects are judged again, strictly.
 * - When a call refuses any object it prints no JSON: `-o name` then prints one line per object
 *   accepted (kubectl goes on past a refusal). An object whose `kind/name` has fewer lines than
 *   objects bearing it is sent again alone, where its verdict and message are its own.
 */
import type { Kubectl, RunResult } from '../e2e/cluster';

export interface DryRunObject {
  /** `kind.group/name`, as `kubectl ... -o name` prints it. */
  readonly key: string;
  /** The object's YAML document. */
  readonly document: string;
}

export type Verdict = { readonly accepted: true } | { readonly accepted: false; readonly message: string };

type Json = Record<string, unknown>;

/** Objects per kubectl call: each call first reads the OpenAPI documents of the kinds, seconds of its time. */
const BATCH = 1000;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** `kind.group/name` of an object, or undefined when it has no kind or name (kubectl refuses it). */
export function nameKey(object: { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown } }): string {
  const kind = typeof object.kind === 'string' ? object.kind.toLowerCase() : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
  return `${kind}${group ? `.${group}` : ''}/${name}`;
}

/** The keys kubectl printed as accepted (`-o name`), each as often as it was printed. */
export function acceptedKeys(stdout: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const key = line.trim().split(/\s+/)[0];
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** kubectl failing to talk to the server at all: no verdict, a harness error. */
const UNREACHABLE =
  /Unable to connect to the server|connection refused|couldn't get current server API group list|i\/o timeout|TLS handshake timeout/;

/** kubectl's error lines, without the "error when creating "STDIN":" noise, warnings and klog lines. */
export function refusal(r: RunResult): string {
  if (r.error || UNREACHABLE.test(r.stderr))
    throw new Error(
      `kubectl apply --dry-run=server reached no API server: ${r.error ?? r.stderr.trim().split('\n').pop()}`,
    );
  const lines = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Warning:') && !/^[IWE]\d{4} /.test(l))
    .map((l) =>
      l
        .replace(/^Error from server \(\w+\): /, '')
        .replace(/^error when (creating|patching|retrieving current configuration of) "STDIN": /, ''),
    );
  return lines.join(' | ') || `kubectl exited ${String(r.status)} with no message`;
}

const isZero = (v: unknown) =>
  v === null ||
  v === false ||
  v === 0 ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** Server-owned fields a create rewrites, and stringData, which the server moves into data. */
const SERVER_OWNED =
  /^(status|stringData|metadata\.(creationTimestamp|generation|resourceVersion|uid|managedFields|selfLink))$/;

/**
 * Paths of `sent` missing from `kept`: fields the server dropped because it does not know them.
 * Zero values are left out (the server omits empty and false fields it does know).
 */
export function droppedFields(sent: unknown, kept: unknown, path = ''): string[] {
  if (isZero(sent) || SERVER_OWNED.test(path)) return [];
  if (Array.isArray(sent))
    return sent.flatMap((s, i) => droppedFields(s, Array.isArray(kept) ? kept[i] : undefined, `${path}[${i}]`));
  if (typeof sent !== 'object' || sent === null) return kept === undefined ? [path] : [];
  if (typeof kept !== 'object' || kept === null) return [path];
  return Object.entries(sent as Json).flatMap(([k, v]) =>
    droppedFields(v, (kept as Json)[k], path ? `${path}.${k}` : k),
  );
}

/** Whether a stored object lost a field of what was sent (kubectl's copy in the annotation). */
function lostFields(item: Json): boolean {
  const annotations = ((item.metadata as Json | undefined)?.annotations ?? {}) as Json;
  const sent = typeof annotations[LAST_APPLIED] === 'string' ? (JSON.parse(annotations[LAST_APPLIED]) as unknown) : {};
  return droppedFields(sent, item).length > 0;
}

type Mode = 'fast' | 'strict';

const apply = (kubectl: Kubectl, documents: readonly string[], output: 'json' | 'name', mode: Mode) =>
  kubectl.run(
    ['apply', '--dry-run=server', '-o', output, `--validate=${mode === 'fast' ? 'false' : 'strict'}`, '-f', '-'],
    { input: documents.map((d) => `---\n${d}`).join(''), timeoutMs: 600_000 },
  );

/** An object sent alone, strictly: one whose fields the server did not all keep. */
function strictly(kubectl: Kubectl, o: DryRunObject): Verdict {
  const r = apply(kubectl, [o.document], 'name', 'strict');
  return r.status === 0 && acceptedKeys(r.stdout).size > 0
    ? { accepted: true }
    : { accepted: false, message: refusal(r) };
}

/** An object sent alone: fast, then strictly if the server dropped some of its fields. */
function alone(kubectl: Kubectl, o: DryRunObject): Verdict {
  const r = apply(kubectl, [o.document], 'json', 'fast');
  if (r.status !== 0) return { accepted: false, message: refusal(r) };
  return lostFields(JSON.parse(r.stdout) as Json) ? strictly(kubectl, o) : { accepted: true };
}

/** Stored objects of a call that refused nothing, or undefined when it refused something. */
function stored(kubectl: Kubectl, batch: readonly DryRunObject[]): Json[] | undefined {
  const r = apply(
    kubectl,
    batch.map((o) => o.document),
    'json',
    'fast',
  );
  if (r.status !== 0) {
    refusal(r); // throws when no server answered
    return undefined;
  }
  const parsed = JSON.parse(r.stdout) as Json;
  return parsed.kind === 'List' ? (parsed.items as Json[]) : [parsed];
}

/** The server's verdict on every object, in order. */
export function dryRun(
  kubectl: Kubectl,
  objects: readonly DryRunObject[],
  progress: (done: number) => void = () => {},
): Verdict[] {
  const verdicts: Verdict[] = [];
  for (let start = 0; start < objects.length; start += BATCH) {
    const batch = objects.slice(start, start + BATCH);
    let accepted: readonly DryRunObject[] = batch;
    const refused = new Set<DryRunObject>();
    let items = stored(kubectl, batch);
    if (!items) {
      const counts = acceptedKeys(
        apply(
          kubectl,
          batch.map((o) => o.document),
          'name',
          'fast',
        ).stdout,
      );
      const named = new Map<string, number>();
      for (const o of batch) named.set(o.key, (named.get(o.key) ?? 0) + 1);
      for (const o of batch) if ((counts.get(o.key) ?? 0) < (named.get(o.key) ?? 0)) refused.add(o);
      accepted = batch.filter((o) => !refused.has(o));
      items = accepted.length > 0 ? stored(kubectl, accepted) : [];
    }
    // Objects whose kind/name came back with fields missing are judged again with strict validation
    // (all of the call's, should the call of the accepted ones alone refuse one after all).
    const suspect = items
      ? new Set(items.filter(lostFields).map((item) => nameKey(item as Parameters<typeof nameKey>[0])))
      : new Set(accepted.map((o) => o.key));
    for (const o of batch)
      verdicts.push(
        refused.has(o) ? alone(kubectl, o) : suspect.has(o.key) ? strictly(kubectl, o) : { accepted: true },
      );
    progress(start + batch.length);
  }
  return verdicts;
}
