/**
 * The chart's templates: each synthesized object, with only the fields the values control
 * replaced by template expressions (see splice.ts). One file per Compose service
 * (`templates/services/<name>.yaml`: workload, Services, ConfigMaps, RBAC, policies of that
 * service) and one per shared kind (Secrets, claims, Ingresses, ConfigMaps, NetworkPolicies).
 */
import { CONFIG_DIGEST_ANNOTATION, configObjects } from '../chart/config-digest';
import { podTemplateOf } from '../pod-template';
import { configDigestExpression } from './config-digest';
import type { ChartFacts, Json, ServiceFacts } from './facts';
import { labelsOf, mainContainer, nameOf, podSpecOf } from './facts';
import { Splicer, tokenPrefix, type Splice } from './splice';

const q = (s: string): string => JSON.stringify(s);
export const serviceValues = (name: string) => `(index $.Values.services ${q(name)})`;
const secretValues = (name: string) => `(index $.Values.secrets ${q(name)})`;
const claimValues = (name: string) => `(index $.Values.persistence ${q(name)})`;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

interface Context {
  readonly chartName: string;
  readonly facts: ChartFacts;
  readonly secrets: ReadonlySet<string>;
  readonly claims: ReadonlySet<string>;
  /** The ConfigMaps and Secrets of the stack, by `Kind/name`, as converted. */
  readonly configs: ReadonlyMap<string, Json>;
}

class ObjectTemplater {
  constructor(
    private readonly ctx: Context,
    private readonly splicer: Splicer,
  ) {}

  private key(o: Json, splice: Splice, value: unknown = null): void {
    o[this.splicer.token(splice)] = value;
  }

  private inline(expr: string): string {
    return this.splicer.token({ kind: 'inline', expr });
  }

  private include(o: Json, helper: string): void {
    const name = `${this.ctx.chartName}.${helper}`;
    this.key(o, { kind: 'lines', lines: (pad) => [`${pad}{{- include ${q(name)} $ | nindent ${pad.length} }}`] });
  }

  /** Helm's labels and the release namespace on every object; the rest of metadata stays literal. */
  metadata(o: Json): Json {
    const metadata = { ...(o.metadata as Json) };
    const labels = { ...labelsOf(o) };
    delete labels['app.kubernetes.io/managed-by'];
    this.include(labels, 'labels');
    metadata.labels = labels;
    metadata.namespace = this.inline(`include ${q(`${this.ctx.chartName}.namespace`)} $ | quote`);
    return { ...o, metadata };
  }

  /** References to the chart's Secrets and claims follow `existingSecret` and `existingClaim`. */
  private references(value: unknown, parentKey = ''): void {
    if (Array.isArray(value)) return value.forEach((v) => this.references(v, parentKey));
    if (typeof value !== 'object' || value === null) return;
    const o = value as Json;
    const secretField =
      parentKey === 'secret'
        ? 'secretName' in o
          ? 'secretName'
          : 'name'
        : /^secret(KeyRef|Ref)$/.test(parentKey)
          ? 'name'
          : undefined;
    if (secretField && typeof o[secretField] === 'string' && this.ctx.secrets.has(o[secretField] as string)) {
      const name = o[secretField] as string;
      o[secretField] = this.inline(`${secretValues(name)}.existingSecret | default ${q(name)} | quote`);
    }
    if (parentKey === 'persistentVolumeClaim' && this.ctx.claims.has(String(o.claimName))) {
      const name = String(o.claimName);
      o.claimName = this.inline(`${claimValues(name)}.existingClaim | default ${q(name)} | quote`);
    }
    for (const [k, v] of Object.entries(o)) this.references(v, k);
  }

  workload(original: Json, s: ServiceFacts): Json {
    const o = clone(this.metadata(original));
    const values = serviceValues(s.name);
    const spec = o.spec as Json;
    if (s.replicas !== undefined) {
      const { replicas: _replicas, ...rest } = spec;
      o.spec = { replicas: this.inline(`${values}.replicas | int`), ...rest };
    }
    const template = podTemplateOf(o) as Json;
    const podMetadata = { ...((template.metadata as Json | undefined) ?? {}) };
    const podLabels = { ...((podMetadata.labels as Json | undefined) ?? {}) };
    this.include(podLabels, 'podLabels');
    template.metadata = { ...podMetadata, labels: podLabels };
    const digest = configDigestExpression(
      this.ctx.chartName,
      template,
      podSpecOf(original),
      this.ctx.secrets,
      this.ctx.configs,
    );
    if (digest !== undefined) {
      const annotations = { ...(podMetadata.annotations as Json) };
      annotations[CONFIG_DIGEST_ANNOTATION] = this.inline(digest);
      template.metadata = { ...(template.metadata as Json), annotations };
    }

    const pod = podSpecOf(o) as Json;
    const main = mainContainer(o, s.kubernetesName) as Json;
    const image = this.inline(`include ${q(`${this.ctx.chartName}.image`)} ${values}.image | quote`);
    const originalImage = main.image;
    // Init containers that run the service's own image (volume fill) follow it.
    for (const c of [...((pod.initContainers ?? []) as Json[]), ...((pod.containers ?? []) as Json[])]) {
      if (c.image === originalImage) c.image = image;
    }
    delete main.imagePullPolicy;
    this.key(
      main,
      { kind: 'if', key: 'imagePullPolicy', cond: `${values}.image.pullPolicy` },
      this.inline(`${values}.image.pullPolicy | quote`),
    );
    delete main.resources;
    this.key(main, { kind: 'block', key: 'resources', expr: `${values}.resources`, optional: true });
    for (const e of (main.env ?? []) as Json[]) {
      if (typeof e.value === 'string' && e.valueFrom === undefined && s.env[String(e.name)] !== undefined) {
        e.value = this.inline(`index ${values}.env ${q(String(e.name))} | toString | quote`);
      }
    }
    if (s.livenessProbe && main.livenessProbe !== undefined) {
      const probe = main.livenessProbe;
      delete main.livenessProbe;
      this.key(main, { kind: 'if', key: 'livenessProbe', cond: `${values}.livenessProbe.enabled` }, probe);
    }
    this.references(pod);
    return o;
  }

  publishedService(original: Json, s: ServiceFacts): Json {
    const o = clone(this.metadata(original));
    const values = serviceValues(s.name);
    const spec = o.spec as Json;
    spec.type = this.inline(`${values}.service.type | quote`);
    for (const port of (spec.ports ?? []) as Json[]) {
      delete port.nodePort;
      const nodePort = `(index ${values}.nodePorts ${q(String(port.name))})`;
      this.key(
        port,
        { kind: 'if', key: 'nodePort', cond: `and (ne ${values}.service.type "ClusterIP") ${nodePort}` },
        this.inline(`${nodePort} | int`),
      );
    }
    return o;
  }

  secret(original: Json): Json {
    const o = clone(this.metadata(original));
    const values = `${secretValues(nameOf(original))}.values`;
    const data = (o.data ?? {}) as Json;
    for (const [key, encoded] of Object.entries(data)) {
      data[key] = this.inline(`get ${values} ${q(key)} | toString | b64enc | default ${q(String(encoded))} | quote`);
    }
    return o;
  }

  claim(original: Json): Json {
    const o = clone(this.metadata(original));
    // A claim is data: `helm uninstall` (and an upgrade that drops its service) keeps it, as
    // `docker compose down` keeps volumes; deleting it is the `down -v` step, by hand.
    const metadata = o.metadata as Json;
    metadata.annotations = { ...((metadata.annotations as Json | undefined) ?? {}), 'helm.sh/resource-policy': 'keep' };
    const values = claimValues(nameOf(original));
    const spec = o.spec as Json;
    (spec.resources as { requests: Json }).requests.storage = this.inline(`${values}.size | quote`);
    delete spec.storageClassName;
    this.key(
      spec,
      { kind: 'if', key: 'storageClassName', cond: `${values}.storageClass` },
      this.inline(`${values}.storageClass | quote`),
    );
    return o;
  }

  /** The Ingress routes and TLS come from the values; `rules` and `tls` are computed before the object. */
  ingress(original: Json, index: number, backends: readonly string[]): { before: string[]; object: Json } {
    const o = clone(this.metadata(original));
    const className = String((original.spec as Json).ingressClassName ?? '');
    const rules = `$rules${index}`;
    const hosts = `$hosts${index}`;
    const tls = `$tls${index}`;
    const before = [
      `{{- ${rules} := list }}`,
      `{{- ${hosts} := list }}`,
      '{{- range $.Values.ingress.hosts }}',
      '{{- $paths := list }}',
      '{{- range .paths }}',
      `{{- if has .service (list ${backends.map(q).join(' ')}) }}`,
      '{{- $backend := dict "service" (dict "name" .service "port" (dict "number" (.port | int))) }}',
      '{{- $paths = append $paths (dict "path" .path "pathType" (.pathType | default "Prefix") "backend" $backend) }}',
      '{{- end }}',
      '{{- end }}',
      '{{- if $paths }}',
      '{{- $rule := dict "http" (dict "paths" $paths) }}',
      '{{- with .host }}{{ $_ := set $rule "host" . }}{{ end }}',
      `{{- ${rules} = append ${rules} $rule }}`,
      `{{- ${hosts} = append ${hosts} (.host | default "") }}`,
      '{{- end }}',
      '{{- end }}',
      `{{- ${tls} := list }}`,
      '{{- range $.Values.ingress.tls }}',
      '{{- $entryHosts := get . "hosts" | default list }}',
      '{{- $match := not $entryHosts }}',
      `{{- range $entryHosts }}{{ if has . ${hosts} }}{{ $match = true }}{{ end }}{{ end }}`,
      `{{- if $match }}{{ ${tls} = append ${tls} . }}{{ end }}`,
      '{{- end }}',
    ];
    // Fields the values do not control (defaultBackend) stay literal.
    const { ingressClassName: _class, tls: _tls, rules: _rules, ...spec } = o.spec as Json;
    this.key(spec, {
      kind: 'lines',
      lines: (pad) => [
        `${pad}{{- with $.Values.ingress.className | default ${q(className)} }}`,
        `${pad}ingressClassName: {{ . | quote }}`,
        `${pad}{{- end }}`,
        `${pad}{{- with ${tls} }}`,
        `${pad}tls:`,
        `${pad}  {{- toYaml . | nindent ${pad.length + 2} }}`,
        `${pad}{{- end }}`,
        `${pad}rules:`,
        `${pad}  {{- toYaml ${rules} | nindent ${pad.length + 2} }}`,
      ],
    });
    o.spec = spec;
    return { before, object: o };
  }
}

interface Document {
  readonly object: Json;
  /** Template lines before the object (variables it uses). */
  readonly before?: readonly string[];
  /** The object is rendered only when this holds. */
  readonly when?: string;
}

function renderFile(splicer: Splicer, docs: readonly Document[], header: readonly string[] = []): string {
  const parts = docs.map((doc) => {
    const yaml = splicer.render([doc.object]).trimEnd();
    const body = ['---', yaml];
    return [...(doc.before ?? []), ...(doc.when ? [`{{- if ${doc.when} }}`, ...body, '{{- end }}'] : body)].join('\n');
  });
  return [...header, ...parts].join('\n') + '\n';
}

const plural = (kind: string) => kind.toLowerCase().replace(/y$/, 'ie').replace(/s$/, 'se') + 's';

const KIND_FILES: Readonly<Record<string, string>> = {
  Secret: 'secrets',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Ingress: 'ingresses',
};

/** `templates/...` path -> template text, for the stack's objects (the Namespace left to Helm). */
export function renderTemplates(chartName: string, facts: ChartFacts, objects: readonly Json[]): Map<string, string> {
  const ctx: Context = {
    chartName,
    facts,
    secrets: new Set(facts.secrets.map((s) => s.name)),
    claims: new Set(facts.claims.map((c) => c.name)),
    configs: configObjects(objects),
  };
  const prefix = tokenPrefix(JSON.stringify(objects));
  const byK8sName = new Map(facts.services.map((s) => [s.kubernetesName, s]));
  const groups = new Map<string, { splicer: Splicer; docs: Document[] }>();
  const group = (file: string) => {
    let found = groups.get(file);
    if (!found) groups.set(file, (found = { splicer: new Splicer(prefix), docs: [] }));
    return found;
  };
  let ingressIndex = 0;
  for (const object of objects) {
    if (object.kind === 'Namespace') continue;
    const owner = byK8sName.get(String(labelsOf(object)['app.kubernetes.io/name'] ?? ''));
    const sharedFile = KIND_FILES[String(object.kind)];
    const file = sharedFile
      ? `templates/${sharedFile}.yaml`
      : owner
        ? `templates/services/${owner.kubernetesName}.yaml`
        : `templates/${plural(String(object.kind))}.yaml`;
    const { splicer, docs } = group(file);
    const t = new ObjectTemplater(ctx, splicer);
    const name = nameOf(object);
    if (object.kind === 'Secret' && ctx.secrets.has(name)) {
      docs.push({ object: t.secret(object), when: `not ${secretValues(name)}.existingSecret` });
    } else if (object.kind === 'PersistentVolumeClaim' && ctx.claims.has(name)) {
      docs.push({ object: t.claim(object), when: `not ${claimValues(name)}.existingClaim` });
    } else if (object.kind === 'Ingress') {
      const backends = facts.ingresses.find((i) => i.name === name)?.backends ?? [];
      const { before, object: ingress } = t.ingress(object, ingressIndex, backends);
      docs.push({ object: ingress, before, when: `and $.Values.ingress.enabled $rules${ingressIndex}` });
      ingressIndex++;
    } else if (owner && object.kind === owner.workloadKind && name === owner.kubernetesName) {
      docs.push({ object: t.workload(object, owner) });
    } else if (owner?.published && object.kind === 'Service' && name === owner.published.serviceName) {
      docs.push({ object: t.publishedService(object, owner) });
    } else {
      docs.push({ object: clone(t.metadata(object)) });
    }
  }
  const files = new Map<string, string>();
  for (const [file, { splicer, docs }] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(file, renderFile(splicer, docs));
  }
  return files;
}
