/** NOTES.md of a stack directory: how to bring it up, and where each published port answers. */
import { quote } from './shell';
import type { KindClusterPlan } from './kind';
import { imageCount, underHome, type StackPlan } from './plan';
import { minikubeBuildOpts } from './build-args';
import { pushLines } from './load-images';
import { FILL_HOME_COMMAND, hostExpression } from './scripts';
import { externalVolumesNotes } from './external-volumes';

const isSocket = (display: string) => /\.sock$/.test(display);
/** `nginx.conf`, `/etc/app.yml`, but not `~/.aws`: a dotted name alone is a directory as often as not. */
const isSingleFile = (display: string) => /(^|\/)[^/.][^/]*\.[A-Za-z0-9]{2,8}$/.test(display);

function portTable(plan: StackPlan, kind?: KindClusterPlan): string[] {
  if (plan.published.length === 0 && plan.hostNetwork.length === 0)
    return ['The stack publishes no ports: it is reachable only inside the cluster.', ''];
  const rows = [
    '| Compose publishes | service:port in the cluster | NodePort | on the host |',
    '| --- | --- | --- | --- |',
  ];
  for (const p of plan.published) {
    const host = `${p.hostIp ?? 'localhost'}:${p.published}`;
    const reach =
      plan.target === 'kind'
        ? `${host}/${p.protocol}`
        : plan.target === 'minikube'
          ? p.protocol === 'tcp'
            ? `\`kubectl port-forward service/${p.service} ${p.published}:${p.target}\`, or \`minikube service ${p.service}-published -p ${plan.name} --url\``
            : `\`$(minikube -p ${plan.name} ip):${p.nodePort}\``
          : p.serviceType === 'NodePort'
            ? `any node's address, port ${p.pinned ? p.nodePort : `\`kubectl get service ${p.service}-published\` shows`}`
            : `the external address of LoadBalancer \`${p.service}-published\`, port ${p.published} (\`kubectl get service ${p.service}-published\`)`;
    // On a generic cluster the NodePort is the API server's choice, not ours, unless a label pins it.
    const nodePort = plan.target === 'generic' && !p.pinned ? '-' : String(p.nodePort);
    rows.push(`| ${host}:${p.target}/${p.protocol} | ${p.service}:${p.target} | ${nodePort} | ${reach} |`);
  }
  for (const p of plan.hostNetwork) {
    rows.push(
      `| host network ${p.port}/${p.protocol} | ${p.service} (hostNetwork) | - | node port ${p.port}${plan.target === 'kind' ? `, mapped to localhost:${p.port}` : ''} |`,
    );
  }
  const notes = [...rows, ''];
  if (kind && kind.diagnostics.length > 0) notes.push(...kind.diagnostics.map((d) => `- ${d.message}`), '');
  return notes;
}

function ingressSection(plan: StackPlan, kind?: KindClusterPlan): string[] {
  if (plan.ingressHosts.length === 0) return [];
  const base =
    plan.target === 'kind'
      ? `http://localhost${kind?.ingress && kind.ingress.http !== 80 ? `:${kind.ingress.http}` : ''}`
      : plan.target === 'minikube'
        ? 'http://$(minikube ip)'
        : 'http://<ingress controller address>';
  const lines = ['## Ingress', ''];
  if (plan.target === 'minikube') {
    lines.push(
      '`up.sh` enables the ingress addon (`minikube addons enable ingress`).',
      `With the docker driver on macOS or Windows the node address is not reachable: run \`minikube -p ${plan.name} tunnel\` and use http://127.0.0.1 instead.`,
      '',
    );
  }
  if (plan.target === 'kind')
    lines.push('`up.sh` installs ingress-nginx for kind; the node carries `ingress-ready=true`.', '');
  for (const proxy of plan.replaceableProxies ?? [])
    lines.push(
      `\`${proxy}\` is a Traefik that routed these by the services' Docker labels; in the cluster the ingress controller serves them (the pods are no Docker containers for Traefik to find), so \`${proxy}\` can be left out (it is converted all the same).`,
      '',
    );
  for (const route of plan.ingressHosts) {
    const url = route.host ? `${route.tls ? 'https' : 'http'}://${route.host}${route.path}` : `${base}${route.path}`;
    lines.push(
      `- ${url} -> ${route.service}${route.host ? ` (point ${route.host} at the ingress controller, e.g. in /etc/hosts)` : ''}`,
    );
  }
  return [...lines, ''];
}

function hostNetworkCaveats(plan: StackPlan): string[] {
  if (plan.hostNetwork.length === 0) return [];
  return [
    '## Host networking',
    '',
    `${[...new Set(plan.hostNetwork.map((p) => p.service))].join(', ')} run with \`hostNetwork: true\`: they bind on the node itself, as \`network_mode: host\` binds on the Docker host.`,
    plan.target === 'kind'
      ? 'On kind the node is a Docker container: its ports reach your machine only through the mappings in kind-cluster.yaml, and multicast/broadcast traffic from your LAN does not reach it (run the service on the host, or use a VM-based cluster, for multicast).'
      : plan.target === 'minikube'
        ? 'On minikube the node is a VM or container: reach these ports at `$(minikube ip)`; multicast from your LAN reaches the node only with a bridged VM driver.'
        : 'Only one such pod fits on a node per port; schedule it where the traffic arrives.',
    '',
  ];
}

/** Host directories behind hostPath volumes, and how this target's node gets them. */
function hostDirectories(plan: StackPlan): string[] {
  if (plan.nodeMounts.length === 0) return [];
  const lines = [
    '## Host directories',
    '',
    'Bind mounts of code, data and paths outside the project are hostPath volumes: the node must hold these directories.',
    '',
    '| Compose host path | on the node | from here |',
    '| --- | --- | --- |',
    ...plan.nodeMounts.map((m) => `| \`${m.display}\` | \`${m.nodePath}\` | \`${m.hostPath}\` |`),
    '',
  ];
  if (plan.target === 'kind') {
    lines.push(
      '`kind-cluster.yaml` mounts them into the node (`extraMounts`). Paths in and around the project are written relative to this directory, which kind resolves against the directory it runs in: run `kind create cluster` from here (`up.sh` does).',
      ...(plan.nodeMounts.some(underHome)
        ? [
            '`${HOME}` is filled in by `up.sh` when it creates the cluster, so no generated file holds a home directory; by hand: `' +
              FILL_HOME_COMMAND +
              ' | kind create cluster --name ' +
              plan.name +
              ' --config -`.',
          ]
        : []),
      'Mounts are fixed when the cluster is created: after adding bind mounts, delete and re-create the cluster.',
      '',
    );
  } else if (plan.target === 'minikube') {
    lines.push(
      '`up.sh` serves each directory to the node with `minikube mount`, in the background, before applying, and copies a single file in with `minikube cp`; by hand, keep one mount running per directory:',
      '',
      '```sh',
      ...plan.nodeMounts
        .filter((m) => !isSocket(m.display))
        .map((m) =>
          isSingleFile(m.display)
            ? `minikube -p ${plan.name} cp ${hostExpression(m)} ${m.nodePath}   # a file: copied, not live`
            : `minikube -p ${plan.name} mount ${hostExpression(m)}:${m.nodePath} &`,
        ),
      '```',
      '',
      '`minikube mount` serves directories only: a single file is a copy taken when `up.sh` runs, and a socket (such as the Docker socket) is not mounted.',
      '',
    );
  } else {
    lines.push('On this cluster every node that may run these pods must hold the directories at those paths.', '');
  }
  return lines;
}

/** Source trees mounted for live reload: the code must be where the project is. */
function sourceCheckout(plan: StackPlan): string[] {
  if (plan.sourceMounts.length === 0) return [];
  return [
    '## Source code',
    '',
    `This stack runs with its source mounted from the project (\`${plan.projectDir}\` from here), as under Compose: edits show up live. Check the application's code out there before \`./up.sh\` (for example \`git clone <repository> <directory>\` or \`git worktree add\`, so each directory below holds the code of its service); a missing directory is mounted empty and hides the image's code. \`up.sh\` warns about a directory that is missing or holds only dotfiles.`,
    '',
    ...plan.sourceMounts.map((m) => `- ${m.service}: \`${m.hostPath}\` -> \`${m.target}\``),
    '',
    'To run the code built into the images instead, convert with `--host-mounts=drop`: source mounts are left out (and data directories get claims).',
    '',
  ];
}

/** On a generic cluster nobody loads images into the nodes: `build:` images go through a registry. */
function imagesToPush(plan: StackPlan): string[] {
  if (plan.images.length === 0) return [];
  const shared = plan.images.some((i) => (i.sameBuild ?? []).length > 0)
    ? ' Services whose builds are the same share one build, tagged with each of their image names.'
    : '';
  return [
    '',
    `Apply only after the images Compose builds (${imageCount(plan.images)}) are in a registry the cluster pulls from (the manifests name them as below; retag them with \`kustomize edit set image\` if your registry needs other names). From this directory, with every build option Compose passes (\`docker compose build\` and \`docker compose push\` in the project do the same):${shared}`,
    '',
    '```sh',
    ...plan.images.flatMap(pushLines),
    '```',
  ];
}

/**
 * minikube hands build options to the builder in its node: docker build on the docker runtime,
 * which another runtime's builder would not take (load-images.sh checks before building).
 */
function minikubeBuildRuntime(plan: StackPlan): string[] {
  if (plan.target !== 'minikube' || !plan.images.some((i) => minikubeBuildOpts(i).length > 0)) return [];
  return [
    '',
    "`load-images.sh` builds inside minikube with docker build options (`minikube image build --build-opt`): the profile must use the docker container runtime, minikube's default (`minikube start --container-runtime=docker`). With another runtime, build with `docker compose build` and load each image with `minikube image load`.",
  ];
}

/** What NOTES.md shows of the stack's picture: the Mermaid text, or why there is none. */
export type NotesDiagram = { readonly mermaid: string } | { readonly omittedServices: number };

/** The stack's picture, drawn by GitHub and most Markdown editors; diagram.svg is the same graph. */
function diagramSection(diagram: NotesDiagram | undefined): string[] {
  if (diagram === undefined) return [];
  if ('omittedServices' in diagram) {
    return [
      '## Diagram',
      '',
      `Not drawn: ${diagram.omittedServices} services are more than a picture can show legibly (and laying them out takes longer than the conversion). \`compose-cdk8s explain --format svg\` (or \`mermaid\`, \`dot\`) draws it anyway.`,
      '',
    ];
  }
  const { mermaid } = diagram;
  return [
    '## Diagram',
    '',
    'Entry points (published ports, Ingress) lead to the services, grouped by Compose network; arrows between services are `depends_on` (what starts first, and on which condition); dashed lines are what each service mounts. `diagram.svg` beside this file is the same picture.',
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
  ];
}

/** `diagram`: the stack's diagram (lib/diagram), shown under the start command. */
export function renderNotes(plan: StackPlan, kind?: KindClusterPlan, diagram?: NotesDiagram): string {
  const start =
    plan.target === 'kind'
      ? [
          '```sh',
          './up.sh   # kind create cluster --config kind-cluster.yaml, load images, kubectl apply -k ., wait',
          '```',
        ]
      : plan.target === 'minikube'
        ? [
            '```sh',
            './up.sh   # minikube start, build images in minikube, kubectl apply -k ., wait',
            '```',
            ...minikubeBuildRuntime(plan),
          ]
        : [
            '```sh',
            ...(plan.secretsCommand ? [`compose-cdk8s ${quote(plan.secretsCommand)} | kubectl apply -f -`] : []),
            'kubectl apply -k .',
            '```',
            ...imagesToPush(plan),
          ];
  const secrets = plan.secretsCommand
    ? [
        '',
        'This directory holds no Secret (converted with `--secrets external`): up.sh creates them from',
        "the project's own files (.env, env files, secret files) on the machine that runs it, with",
        '',
        '```sh',
        `compose-cdk8s ${quote(plan.secretsCommand)} | kubectl apply -f -`,
        '```',
        '',
        'Run it again after changing a secret value, then `kubectl rollout restart` the workloads reading it',
        '(their pods read Secrets at start); nothing of it is written to disk.',
      ]
    : [];
  const dayTwo = [
    '',
    'After editing the Compose project, convert again and run `./up.sh`: as `docker compose up -d',
    '--remove-orphans`, the services whose configuration changed restart, the others keep running,',
    "and what the stack no longer has is removed (a removed service's claim stays). `./down.sh` is",
    '`docker compose down` (claims stay), `./down.sh -v` is `docker compose down -v`.',
  ];
  return [
    `# ${plan.name} on ${plan.target}`,
    '',
    'Generated by compose-cdk8s.',
    '',
    ...start,
    ...secrets,
    ...dayTwo,
    '',
    ...diagramSection(diagram),
    '## Published ports',
    '',
    ...portTable(plan, kind),
    ...ingressSection(plan, kind),
    ...hostNetworkCaveats(plan),
    ...sourceCheckout(plan),
    ...hostDirectories(plan),
    ...externalVolumesNotes(plan),
  ].join('\n');
}
