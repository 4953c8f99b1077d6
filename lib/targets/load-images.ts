/**
 * `load-images.sh`: builds the images Compose would build, with every build option
 * (lib/targets/build-args.ts), and loads them into the cluster: kind builds on the local Docker
 * engine and loads with `kind load docker-image`; minikube builds inside the node. It refuses to
 * run, changing nothing, when a tool or a variable a build secret reads is missing.
 */
import {
  dockerBuildOptions,
  minikubeBuildOpts,
  minikubeBuildWords,
  minikubeDockerfile,
  usesHostGateway,
} from './build-args';
import { imageNames, servicesOf, type LocalImage, type StackPlan } from './plan';
import { preamble, quote, renderWords, requireTools, type Word } from './shell';

/** A heredoc delimiter that no line of `content` equals, so the content is read as written. */
export function heredocDelimiter(content: string): string {
  const lines = new Set(content.split('\n'));
  let delimiter = 'DOCKERFILE';
  for (let i = 1; lines.has(delimiter); i++) delimiter = `DOCKERFILE_${i}`;
  return delimiter;
}

/**
 * A command as lines: its words, then `then` (`&& docker push ...`), then `stdin` as a quoted
 * heredoc: nothing in it is expanded by the shell.
 */
export function commandLines(words: readonly Word[], stdin?: string, then = ''): string[] {
  const line = renderWords(words);
  if (stdin === undefined) return [`${line}${then}`];
  const delimiter = heredocDelimiter(stdin);
  return [`${line} <<'${delimiter}'${then}`, ...stdin.replace(/\n$/, '').split('\n'), delimiter];
}

/** The `docker build` of one image, for running it (the node's platform): lines of the script. */
export function dockerBuildLines(image: LocalImage, then = ''): string[] {
  const platforms = image.platform === undefined ? [] : [image.platform];
  return commandLines(
    ['docker', 'build', ...dockerBuildOptions(image, platforms), image.context],
    image.dockerfileInline,
    then,
  );
}

/**
 * What a generic cluster needs: the image in a registry, for every platform Compose builds (a
 * multi-platform image goes straight from buildx to the registry; the local engine holds one).
 */
export function pushLines(image: LocalImage): string[] {
  const platforms = image.platforms ?? [];
  if (platforms.length <= 1) {
    const pushes = imageNames(image).map((name) => ` && docker push ${quote([name])}`);
    return [`# ${buildComment(image)}`, ...dockerBuildLines(image, pushes.join(''))];
  }
  return [
    `# ${buildComment(image)}`,
    ...commandLines(
      ['docker', 'buildx', 'build', ...dockerBuildOptions(image, platforms), '--push', image.context],
      image.dockerfileInline,
    ),
  ];
}

/** Whom a build is for: `web`, or `web, worker and beat: one build, one image` when they share it. */
export function buildComment(image: LocalImage): string {
  const services = servicesOf(image);
  if (services.length === 1) return services[0];
  return `${services.slice(0, -1).join(', ')} and ${services[services.length - 1]}: the same build, built once`;
}

/** Shell variable names a build secret reads (checked before anything is built). */
function secretVariables(images: readonly LocalImage[]): string[] {
  const names = images.flatMap((i) => (i.secrets ?? []).flatMap((s) => ('env' in s ? [s.env] : [])));
  return [...new Set(names)].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).sort();
}

function requireVariables(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return [
    'unset_vars=()',
    `for var in ${names.join(' ')}; do [ -n "\${!var+x}" ] || unset_vars+=("$var"); done`,
    'if [ ${#unset_vars[@]} -gt 0 ]; then',
    '  echo "load-images.sh: cannot run: not set: ${unset_vars[*]} (build secrets read them: export them first). Nothing was done." >&2',
    '  exit 1',
    'fi',
    '',
  ];
}

function kindScript(plan: StackPlan): string[] {
  const lines = [
    ...requireTools('load-images.sh', ['docker', 'kind'], true),
    ...requireVariables(secretVariables(plan.images)),
    `CLUSTER="\${KIND_CLUSTER_NAME:-${plan.name}}"`,
    '',
  ];
  for (const image of plan.images) {
    // kind saves the names together: the image goes into the node once.
    lines.push(
      `# ${buildComment(image)}`,
      ...dockerBuildLines(image),
      `kind load docker-image ${quote([...imageNames(image), ...(image.tags ?? [])])} --name "$CLUSTER"`,
      '',
    );
  }
  return lines;
}

/**
 * minikube hands `--build-opt` to the node's builder: docker build on the docker runtime (the
 * one up.sh starts), which another runtime's builder (buildctl, podman) would not take.
 */
function minikubeChecks(plan: StackPlan): string[] {
  const lines: string[] = [];
  if (plan.images.some((i) => minikubeBuildOpts(i).length > 0)) {
    lines.push(
      'endpoint="$(minikube -p "$PROFILE" ssh -- cat /etc/crictl.yaml 2>/dev/null || true)"',
      'case "$endpoint" in',
      '  *docker*) ;;',
      '  *)',
      '    echo "load-images.sh: cannot run: the builds take docker build options (--build-opt), and minikube profile $PROFILE is not running or does not use the docker container runtime (minikube start -p $PROFILE --container-runtime=docker). Nothing was done." >&2',
      '    exit 1',
      '    ;;',
      'esac',
    );
  }
  if (plan.images.some(usesHostGateway)) {
    lines.push(
      // host-gateway is the machine Compose runs on: from the node, that is host.minikube.internal.
      'hosts="$(minikube -p "$PROFILE" ssh -- cat /etc/hosts 2>/dev/null || true)"',
      // minikube ssh may answer through a terminal: \r\n line ends.
      `HOST_GATEWAY="$(printf '%s\\n' "$hosts" | tr -d '\\r' | awk '$2 == "host.minikube.internal" { ip = $1 } END { print ip }')"`,
      'if [ -z "$HOST_GATEWAY" ]; then',
      '  echo "load-images.sh: cannot run: host.minikube.internal (this machine, for host-gateway) is not in the /etc/hosts of minikube profile $PROFILE. Nothing was done." >&2',
      '  exit 1',
      'fi',
    );
  }
  return lines.length > 0 ? [...lines, ''] : [];
}

/** The lines that build one image in the minikube node, its Dockerfile copied in first when needed. */
export function minikubeBuildLines(image: LocalImage): string[] {
  const dockerfile = minikubeDockerfile(image);
  const copy =
    dockerfile.kind === 'inline'
      ? [
          'dockerfile="$(mktemp)"',
          ...commandLines([{ shell: 'cat >"$dockerfile"' }], dockerfile.content),
          `minikube -p "$PROFILE" cp "$dockerfile" ${quote([dockerfile.to])}`,
          'rm -f "$dockerfile"',
        ]
      : dockerfile.kind === 'copy'
        ? [`minikube -p "$PROFILE" cp ${quote([dockerfile.from, dockerfile.to])}`]
        : [];
  // `image tag` names the built image again, on any container runtime (no second build).
  const [first, ...others] = imageNames(image);
  return [
    ...copy,
    renderWords([{ shell: 'minikube -p "$PROFILE" image build' }, ...minikubeBuildWords(image)]),
    ...others.map((name) => `minikube -p "$PROFILE" image tag ${quote([first, name])}`),
  ];
}

function minikubeScript(plan: StackPlan): string[] {
  // minikube builds inside its own runtime: no local Docker engine needed.
  const lines = [
    ...requireTools('load-images.sh', ['minikube'], false),
    `PROFILE="\${MINIKUBE_PROFILE:-${plan.name}}"`,
    '',
    ...minikubeChecks(plan),
  ];
  for (const image of plan.images) lines.push(`# ${buildComment(image)}`, ...minikubeBuildLines(image), '');
  return lines;
}

export function renderLoadImagesScript(plan: StackPlan): string | undefined {
  if (plan.images.length === 0 || plan.target === 'generic') return undefined;
  return [
    ...preamble(`builds the images of ${plan.name} and loads them into the ${plan.target} cluster.`),
    ...(plan.target === 'kind' ? kindScript(plan) : minikubeScript(plan)),
  ].join('\n');
}
