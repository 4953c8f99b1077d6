/** The files of a chart besides its object templates: Chart.yaml, helpers, NOTES.txt, README.md. */
import { quote } from '../targets/shell';
import type { ComposeChart } from '../chart/compose-chart';
import { stringifyDocuments } from '../output/yaml';
import { FILL_HOME_COMMAND } from '../targets/scripts';
import type { ChartFacts } from './facts';
import { serviceValues } from './templates';
import { valueRows, type ValueMap } from './values';

export const CHART_VERSION = '0.1.0';

/** The tag every image shares (a release of one application), else the chart version. */
export function appVersion(facts: ChartFacts): string {
  const tags = new Set(facts.services.map((s) => s.image.tag));
  const [only] = [...tags];
  return tags.size === 1 && only ? only : CHART_VERSION;
}

export function chartYaml(chartName: string, project: string, facts: ChartFacts): string {
  return stringifyDocuments([
    {
      apiVersion: 'v2',
      name: chartName,
      description: `The Compose project ${project}, converted by compose-cdk8s.`,
      type: 'application',
      version: CHART_VERSION,
      appVersion: appVersion(facts),
      annotations: { 'compose-cdk8s.io/generated': 'true' },
    },
  ]);
}

export function helpersTpl(chartName: string): string {
  const q = (helper: string) => JSON.stringify(`${chartName}.${helper}`);
  return `{{/*
Labels of every object: Helm's, then commonLabels. The objects keep the names of the Compose
services, so \`db:5432\` works as under Compose: two releases of this chart need two namespaces.
*/}}
{{- define ${q('labels')} -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of every pod (selectors stay as the plain manifests have them). */}}
{{- define ${q('podLabels')} -}}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define ${q('namespace')} -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{/* repository[:tag][@digest] of an image value. */}}
{{- define ${q('image')} -}}
{{- .repository }}{{ with .tag }}:{{ . }}{{ end }}{{ with .digest }}@{{ . }}{{ end }}
{{- end }}
`;
}

export function notesTxt(
  chart: ComposeChart,
  chartName: string,
  facts: ChartFacts,
  secretsCommand?: readonly string[],
): string {
  const ns = `{{ include ${JSON.stringify(`${chartName}.namespace`)} . }}`;
  const lines = [
    `{{ .Chart.Name }} is installed as release {{ .Release.Name }} in namespace ${ns}.`,
    '',
    `  kubectl get pods -n ${ns} -l app.kubernetes.io/instance={{ .Release.Name }}`,
    '',
    ...(secretsCommand
      ? [
          "The chart holds no Secret (converted with --secrets external): pods wait for them until you create them from the project's files:",
          '',
          `  compose-cdk8s ${quote(secretsCommand)} | kubectl apply -f -`,
          '',
        ]
      : []),
  ];
  const external = [...chart.externalClaims.values()].map((c) => c.claimName).sort();
  if (external.length > 0)
    lines.push(
      `External volumes: the pods that mount them wait until these PersistentVolumeClaims exist in namespace ${ns}: ${external.join(', ')} (examples in external-volumes/ beside the chart; see README.md).`,
      '',
    );
  const published = chart.exposure.published;
  if (published.length > 0) {
    lines.push('Published ports (as under Compose):');
    for (const p of published) {
      const s = facts.services.find((f) => f.name === p.service);
      if (!s?.published) continue;
      const values = serviceValues(s.name);
      const portName = `${p.protocol}-${p.published}`;
      lines.push(
        `  ${p.published}/${p.protocol} -> ${s.kubernetesName}:${p.target}: Service ${s.published.serviceName} ({{ ${values}.service.type }}${`{{ with index ${values}.nodePorts ${JSON.stringify(portName)} }}, NodePort {{ . }}{{ end }})`}`,
      );
    }
    lines.push(
      '',
      'On kind, a cluster created with kind-cluster.yaml (next to the chart) maps each host port to',
      'its default NodePort: use localhost:<port>. On minikube: minikube service -n <namespace> <name>-published --url.',
      `Elsewhere: kubectl port-forward -n ${ns} service/<name> <port>.`,
      '',
    );
  }
  if (facts.ingresses.length > 0) {
    lines.push(
      // The blank line goes inside: `{{-` would trim one before the condition.
      '{{- if .Values.ingress.enabled }}',
      '',
      'HTTP routes (Ingress):',
      '{{- range .Values.ingress.hosts }}{{ $host := .host }}{{ range .paths }}',
      '  http://{{ $host | default "<ingress controller address>" }}{{ .path }} -> {{ .service }}:{{ .port }}',
      '{{- end }}{{ end }}',
      '{{- end }}',
    );
  }
  return lines.join('\n') + '\n';
}

export const HELMIGNORE = `# Files next to the chart that are not part of it.
.compose-cdk8s
kind-cluster.yaml
load-images.sh
external-volumes/
*.tgz
.git/
.DS_Store
*.swp
*~
`;

function valuesTable(values: ValueMap): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...valueRows(values).map((r) => `| \`${cell(r.key)}\` | ${r.type} | \`${cell(r.value)}\` | ${cell(r.doc)} |`),
  ];
}

export function chartReadme(
  chart: ComposeChart,
  chartName: string,
  facts: ChartFacts,
  values: ValueMap,
  secretsCommand?: readonly string[],
): string {
  const built = facts.services.filter((s) => chart.project.services[s.name]?.build !== undefined);
  const lines = [
    `# ${chartName}`,
    '',
    `Helm chart of the Compose project \`${chart.project.name}\`, generated by \`compose-cdk8s convert --format helm\`.`,
    'Rendered with its default values it is the same set of objects as `compose-cdk8s convert`',
    `(target ${chart.target}), with Helm's labels. Regenerate it rather than editing the templates.`,
    '',
    '## Install',
    '',
    '```sh',
  ];
  if (chart.target === 'kind') {
    lines.push(
      chart.hostMounts.some((m) => m.host.kind === 'home')
        ? `${FILL_HOME_COMMAND} | kind create cluster --config=-   # fills in \${HOME}; maps the published ports to localhost`
        : 'kind create cluster --config kind-cluster.yaml   # maps the published ports to localhost',
    );
    if (built.length > 0)
      lines.push('./load-images.sh                                # builds and loads the images Compose builds');
  } else if (chart.target === 'minikube' && built.length > 0) {
    lines.push('./load-images.sh                                # builds the images Compose builds inside minikube');
  }
  if (facts.ingresses.length > 0 && chart.target !== 'generic') {
    lines.push(
      chart.target === 'kind'
        ? 'kubectl apply -f https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml'
        : 'minikube addons enable ingress',
    );
  }
  if (secretsCommand)
    lines.push(
      `kubectl create namespace ${chartName} --dry-run=client -o yaml | kubectl apply -f -`,
      `compose-cdk8s ${quote(secretsCommand)} | kubectl apply -f -   # the Secrets, from the project's files (--secrets external)`,
    );
  lines.push(`helm install ${chartName} . --namespace ${chartName} --create-namespace`, '```', '');
  if (chart.target === 'kind' && chart.hostMounts.length > 0) {
    lines.push(
      'Bind mounts of the Compose file are hostPath volumes that `kind-cluster.yaml` mounts into the node',
      '(`extraMounts`), with paths relative to this directory: create the cluster from here.',
      '',
    );
  }
  if (chart.target === 'minikube' && chart.hostMounts.length > 0) {
    lines.push(
      'Bind mounts of the Compose file are hostPath volumes: mount their directories into the node first',
      `(\`minikube mount <dir>:<node path>\`: ${chart.hostMounts.map((m) => `\`${m.nodePath}\``).join(', ')}).`,
      '',
    );
  }
  if (facts.services.some((s) => s.workloadKind === 'Job')) {
    lines.push(
      'One-shot services are Jobs, whose pod template Kubernetes does not let change: when `helm upgrade`',
      'changes one (say its image tag), delete the Job first.',
      '',
    );
  }
  lines.push(
    'The objects keep the names of the Compose services, so containers reach each other as under',
    'Compose (`db:5432`). Two releases of this chart therefore need two namespaces.',
    '',
  );
  if (built.length > 0) {
    lines.push(
      `Images built by Compose (${built.map((s) => `\`${s.name}\``).join(', ')}) must be in the cluster's runtime or a registry:`,
      '`load-images.sh` builds and loads them for kind or minikube; elsewhere push them and set',
      '`services.<name>.image.repository` and `tag`.',
      '',
    );
  }
  const external = [...chart.externalClaims.values()].map((c) => c.claimName).sort();
  if (external.length > 0) {
    lines.push(
      `External volumes (${external.map((n) => `\`${n}\``).join(', ')}): the chart mounts their PersistentVolumeClaims but`,
      `never creates them. Create each in the release's namespace before \`helm install\`, from its example`,
      `beside the chart (a new claim, or one bound to an existing disk, as its comments say):`,
      `\`kubectl -n ${chartName} apply -f external-volumes/<claim>.yaml.example\`.`,
      '',
    );
  }
  if (facts.secrets.length > 0) {
    lines.push(
      '## Secrets',
      '',
      `> **Warning**: templates/secrets.yaml holds the content of ${facts.secrets.map((s) => `\`${s.name}\``).join(', ')}`,
      '> as read at conversion (Compose secret files, environment variables, values written in the',
      '> Compose file), base64-encoded, not encrypted: do not publish this chart as it is.',
      '',
      'values.yaml holds no secret value. For a shared cluster create the Secrets outside the chart and set',
      '`secrets.<name>.existingSecret`, or pass values with `--set secrets.<name>.values.<KEY>=...` or a values',
      'file kept out of version control.',
      '',
    );
  }
  lines.push('## Values', '', ...valuesTable(values), '');
  return lines.join('\n');
}
