/**
 * The generated shell scripts of a stack directory: `up.sh` creates the cluster, applies, and
 * waits (lib/targets/wait.ts); `load-images.sh` (lib/targets/load-images.ts) builds the images Compose would build and
 * loads them into the cluster. Both refuse to run, changing nothing, when their tools are missing.
 */
import { HOME_PLACEHOLDER, underHome, type NodeMount, type StackPlan } from './plan';
import { preamble, quote, requireTools } from './shell';
import { waitLines } from './wait';
import { pruneLines, rerunJobLines, type PruneInput } from './prune';

export { quote } from './shell';
export { renderLoadImagesScript } from './load-images';

const KIND_INGRESS_MANIFEST = 'https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml';

/**
 * kind resolves relative extraMounts against its working directory (this one, after the `cd`);
 * `${HOME}` is written in only now, so no generated file holds the converting user's home.
 */
/** Writes the home directory into the kind config (on stdout): run where kind-cluster.yaml is. */
// awk's index/substr take $HOME as plain text: sed's replacement would read `&` and `|` in it.
export const FILL_HOME_COMMAND =
  'awk \'{ while ((i = index($0, "${HOME}")) > 0) $0 = substr($0, 1, i - 1) ENVIRON["HOME"] substr($0, i + 7); print }\' kind-cluster.yaml';

function kindCreate(plan: StackPlan): string[] {
  if (!plan.nodeMounts.some(underHome)) return ['  kind create cluster --name "$CLUSTER" --config kind-cluster.yaml'];
  return [
    '  config="$(mktemp)"',
    '  trap \'rm -f "$config"\' EXIT',
    `  ${FILL_HOME_COMMAND} >"$config"`,
    '  kind create cluster --name "$CLUSTER" --config "$config"',
  ];
}

/**
 * `minikube mount` serves one host directory to the node for as long as it runs: one background
 * process per directory, started before anything is applied (a hostPath created before the
 * mount would shadow it), and waited for.
 */
function minikubeMounts(plan: StackPlan): string[] {
  if (plan.nodeMounts.length === 0) return [];
  const lines = [
    'mount_dir() {',
    '  local host="$1" node="$2" log="${TMPDIR:-/tmp}/compose-cdk8s-$PROFILE-mount-$3.log"',
    // 9p serves directories: a single file is copied in (a snapshot, not live); a socket cannot be.
    '  if [ -f "$host" ]; then',
    '    echo "minikube cp $host $node (a copy: changes on this machine do not reach the pod)"',
    '    minikube -p "$PROFILE" cp "$host" "$node"',
    '    return',
    '  fi',
    '  if [ ! -d "$host" ]; then',
    '    echo "up.sh: not mounting $host: minikube mount serves directories, minikube cp regular files" >&2',
    '    return',
    '  fi',
    '  if minikube -p "$PROFILE" ssh -- mountpoint -q "$node" >/dev/null 2>&1; then return; fi',
    `  echo "minikube mount $host:$node (log: $log; stop it: pkill -f 'minikube -p $PROFILE mount')"`,
    '  nohup minikube -p "$PROFILE" mount "$host:$node" >"$log" 2>&1 &',
    '  for _ in $(seq 60); do',
    '    if minikube -p "$PROFILE" ssh -- mountpoint -q "$node" >/dev/null 2>&1; then return; fi',
    '    sleep 1',
    '  done',
    '  echo "up.sh: $host is not mounted at $node after 60 s: see $log" >&2',
    '  exit 1',
    '}',
  ];
  plan.nodeMounts.forEach((m, i) => lines.push(`mount_dir ${hostExpression(m)} ${quote([m.nodePath])} ${i + 1}`));
  return lines;
}

/** The host side of a node mount as a shell word, absolute at run time (`minikube mount` needs that). */
export function hostExpression(m: NodeMount): string {
  if (underHome(m)) return `"$HOME${m.hostPath.slice(HOME_PLACEHOLDER.length)}"`;
  if (m.hostPath.startsWith('/')) return quote([m.hostPath]);
  // The directory is made absolute, not the path itself: `cd` into a single file fails.
  const slash = m.hostPath.lastIndexOf('/');
  const last = m.hostPath.slice(slash + 1);
  if (slash < 0 || last === '..' || last === '.') return `"$(cd ${quote([m.hostPath])} && pwd)"`;
  return `"$(cd ${quote([m.hostPath.slice(0, slash) || '/'])} && pwd)/"${quote([last])}`;
}

/**
 * A source directory mounted over the image's code replaces it, as under Compose: when the
 * checkout is missing or holds only dotfiles (a lone `.env`), the service starts without code.
 * Warned about, not refused: it may be what the user wants.
 */
function sourceChecks(plan: StackPlan): string[] {
  if (plan.sourceMounts.length === 0) return [];
  const lines = [
    'check_source() {',
    '  if [ -z "$(ls "$1" 2>/dev/null)" ]; then',
    '    echo "up.sh: warning: $1 holds no code: $2 sees it instead of the image\'s code (check the code out there, see NOTES.md)" >&2',
    '  fi',
    '}',
  ];
  for (const m of plan.sourceMounts) {
    const rel = m.hostPath.replace(/^\.\/?/, '');
    const dir = rel === '' ? plan.projectDir : `${plan.projectDir}/${rel}`;
    lines.push(`check_source ${quote([dir])} ${quote([`${m.service}:${m.target}`])}`);
  }
  return lines;
}

/**
 * `--secrets external`: the Secrets are made here, from the project's files on this machine,
 * and go straight to the cluster (never to a file). COMPOSE_CDK8S names another compose-cdk8s.
 */
export function createSecrets(command: readonly string[], namespace?: string): string[] {
  return [
    "# The Secrets are not in this directory (--secrets external): create them from the project's files.",
    // They go in before `kubectl apply -k` creates the Namespace: create it first.
    ...(namespace
      ? [`kubectl create namespace ${quote([namespace])} --dry-run=client -o yaml | kubectl apply -f -`]
      : []),
    `\${COMPOSE_CDK8S:-npx --yes compose-cdk8s} ${quote(command)} | kubectl apply -f -`,
  ];
}

export function renderUpScript(plan: StackPlan): string {
  const hasIngress = plan.ingressHosts.length > 0;
  const lines = preamble(
    `brings ${plan.name} up on ${plan.target === 'generic' ? 'the current kubectl context' : plan.target}.`,
  );
  if (plan.target !== 'generic') lines.push(...sourceChecks(plan));
  if (plan.target === 'kind') {
    lines.push(
      ...requireTools('up.sh', ['docker', 'kind', 'kubectl'], true),
      `CLUSTER="\${KIND_CLUSTER_NAME:-${plan.name}}"`,
      'if ! kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then',
      ...kindCreate(plan),
      'fi',
      'kubectl config use-context "kind-$CLUSTER"',
    );
    if (hasIngress) {
      lines.push(
        `kubectl apply -f ${KIND_INGRESS_MANIFEST}`,
        'kubectl wait -n ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=300s',
      );
    }
  } else if (plan.target === 'minikube') {
    lines.push(
      ...requireTools('up.sh', ['minikube', 'kubectl'], false),
      `PROFILE="\${MINIKUBE_PROFILE:-${plan.name}}"`,
      'minikube -p "$PROFILE" status >/dev/null 2>&1 || minikube start -p "$PROFILE"',
      'kubectl config use-context "$PROFILE"',
      ...minikubeMounts(plan),
    );
    if (hasIngress) lines.push('minikube -p "$PROFILE" addons enable ingress');
  } else {
    lines.push(...requireTools('up.sh', ['kubectl'], false));
  }
  if (plan.images.length > 0 && plan.target !== 'generic') lines.push('./load-images.sh');
  if (plan.secretsCommand) lines.push(...createSecrets(plan.secretsCommand, plan.namespace));
  const stack = { project: plan.project, namespace: plan.namespace, objects: plan.objects };
  lines.push(
    ...rerunJobLines(stack),
    'kubectl apply -k .',
    // With --secrets external the Secrets come from the project's files, not from this directory.
    ...pruneLines({ ...stack, keepKinds: plan.secretsCommand ? ['secrets'] : [] }),
    ...waitLines(plan),
    `echo "${plan.name} is up: see NOTES.md for the addresses."`,
    '',
  );
  return lines.join('\n');
}

/** What down.sh removes: the stack's objects, by its labels, in its namespace. */
export function downInput(plan: StackPlan): PruneInput & { readonly description: string } {
  return {
    project: plan.project,
    namespace: plan.namespace,
    objects: plan.objects,
    description: `takes ${plan.name} down, as docker compose down [-v].`,
  };
}
