/**
 * Day two, as `docker compose up -d --remove-orphans` and `docker compose down [-v]`: what a
 * stack directory's scripts remove. `kubectl apply` never deletes, so up.sh removes the objects
 * of this stack that the new output no longer has; down.sh removes the stack.
 *
 * An object is of this stack when it carries both labels every generated object carries
 * (`app.kubernetes.io/part-of=<project>`, `app.kubernetes.io/managed-by=compose-cdk8s`), in the
 * stack's namespace: another stack (another part-of) and the user's own objects (no managed-by)
 * are never selected. Claims are data: like `down` without `-v`, they are kept unless asked.
 */
import { preamble, quote, requireTools } from './shell';

/** Every kind compose-cdk8s writes into a namespace, as `kubectl get` names them. */
export const STACK_KINDS = [
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'jobs.batch',
  'cronjobs.batch',
  'horizontalpodautoscalers.autoscaling',
  'services',
  'configmaps',
  'secrets',
  'ingresses.networking.k8s.io',
  'networkpolicies.networking.k8s.io',
  'serviceaccounts',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'persistentvolumeclaims',
] as const;

/** The label selector of one stack's objects. */
export const stackSelector = (project: string): string =>
  `app.kubernetes.io/part-of=${project},app.kubernetes.io/managed-by=compose-cdk8s`;

export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** The identity of a manifest object (`{ apiVersion, kind, metadata: { name } }`). */
export function objectId(object: unknown): ObjectId {
  const o = object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string')
    throw new Error(`not a Kubernetes object: ${JSON.stringify(object).slice(0, 200)}`);
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
}

/** An object as `kubectl get -o name` prints it: `deployment.apps/api`, `service/api`. */
export function kubectlName(o: ObjectId): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${o.apiVersion.slice(0, slash)}`;
  return `${o.kind.toLowerCase()}${group}/${o.name}`;
}

/** The namespaced objects of the output as kubectl names them, sorted: what up.sh keeps. */
export function keptObjects(objects: readonly ObjectId[]): string[] {
  return [...new Set(objects.filter((o) => o.kind !== 'Namespace').map(kubectlName))].sort();
}

export interface PruneInput {
  /** The Compose project name: the part-of label of every object. */
  readonly project: string;
  readonly namespace?: string;
  /** kubectlName of every object of the current output. */
  readonly objects: readonly string[];
  /** Kinds (of STACK_KINDS) never pruned: Secrets made outside the directory (`--secrets external`). */
  readonly keepKinds?: readonly string[];
}

const nsFlag = (namespace?: string) => (namespace ? ` -n ${quote([namespace])}` : '');

/**
 * The up.sh lines after `kubectl apply`: delete what the stack no longer has; list the claims
 * of removed services instead of deleting them (data, as `docker compose down` keeps volumes).
 */
export function pruneLines(input: PruneInput): string[] {
  const ns = nsFlag(input.namespace);
  return [
    '# What this stack no longer has goes, as with `docker compose up -d --remove-orphans`; only',
    '# objects with both labels of this stack are ever looked at; claims (data) are kept.',
    "current=\"$(cat <<'EOF'",
    ...input.objects,
    'EOF',
    ')"',
    `kubectl${ns} get ${STACK_KINDS.filter((k) => !(input.keepKinds ?? []).includes(k)).join(',')} -l ${quote([stackSelector(input.project)])} -o name |`,
    '  while read -r object; do',
    '    if printf \'%s\\n\' "$current" | grep -qxF "$object"; then continue; fi',
    '    case "$object" in',
    '      persistentvolumeclaim/*)',
    `        echo "kept $object of a removed service: its data stays (./down.sh -v, or kubectl${ns} delete $object, deletes it)" ;;`,
    '      *)',
    `        kubectl${ns} delete "$object" --ignore-not-found --wait=false ;;`,
    '    esac',
    '  done',
  ];
}

/**
 * The up.sh lines before `kubectl apply`: the stack's Jobs go, so its one-shot services run
 * again, as `docker compose up -d` starts their exited containers again; and a Job's pod
 * template cannot change in place, so a changed one could not be applied otherwise.
 */
export function rerunJobLines(input: Pick<PruneInput, 'project' | 'namespace'>): string[] {
  return [
    '# One-shot services run again, as `docker compose up -d` starts their containers again.',
    `kubectl${nsFlag(input.namespace)} delete jobs.batch -l ${quote([stackSelector(input.project)])} --ignore-not-found --wait=true`,
  ];
}

/** down.sh: `docker compose down` (claims kept), `-v` as `down -v` (claims deleted too). */
export function renderDownScript(input: PruneInput & { readonly description: string }): string {
  const ns = nsFlag(input.namespace);
  const kinds = STACK_KINDS.filter((k) => k !== 'persistentvolumeclaims').join(',');
  const selector = quote([stackSelector(input.project)]);
  return [
    ...preamble(input.description),
    '# Like `docker compose down`: removes every object of this stack and keeps its claims (its',
    '# volumes); `./down.sh -v`, like `docker compose down -v`, deletes the claims too.',
    'volumes=false',
    'for arg in "$@"; do',
    '  case "$arg" in',
    '    -v | --volumes) volumes=true ;;',
    '    *) echo "down.sh: unknown argument $arg (usage: down.sh [-v])" >&2; exit 2 ;;',
    '  esac',
    'done',
    ...requireTools('down.sh', ['kubectl'], false),
    `kubectl${ns} delete ${kinds} -l ${selector} --ignore-not-found --wait=true`,
    'if [ "$volumes" = true ]; then',
    `  kubectl${ns} delete persistentvolumeclaims -l ${selector} --ignore-not-found --wait=true`,
    'else',
    `  kept="$(kubectl${ns} get persistentvolumeclaims -l ${selector} -o name)"`,
    `  if [ -n "$kept" ]; then echo "kept the claims (./down.sh -v deletes them):"; echo "$kept"; fi`,
    'fi',
    `echo "${input.project} is down."`,
    '',
  ].join('\n');
}
