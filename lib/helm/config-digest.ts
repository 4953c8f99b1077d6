/**
 * The config digest of a pod template (lib/chart/config-digest.ts) in the Helm chart. The chart's
 * ConfigMaps are literal, so their part of the digest is too; its Secrets take their values from
 * the release's values, so their part is computed when the chart is rendered, from the Secrets as
 * rendered: `helm upgrade` with a changed secret value rolls exactly the workloads that read that
 * Secret. A Secret replaced by `existingSecret` is not rendered and is left out: its content is
 * not the chart's, and a hash of it would give a low-entropy password away.
 */
import {
  CONFIG_DIGEST_ANNOTATION,
  consumedObjects,
  contentDigest,
  digestLine,
  refKey,
  type ObjectRef,
} from '../chart/config-digest';
import type { Json } from './facts';

const q = (s: string): string => JSON.stringify(s);

const helperName = (chartName: string) => `${chartName}.configDigest`;

/**
 * `<chart>.configDigest`: sha256 of the lines given, where an entry `(dict "secret" NAME)` stands
 * for the line of that Secret as templates/secrets.yaml renders it (none when not rendered). The
 * line is the one lib/chart/config-digest.ts writes: Go's JSON of base64 values is JavaScript's.
 */
export function configDigestHelper(chartName: string): string {
  return [
    '',
    '{{/*',
    'The digest of the ConfigMaps and Secrets a pod reads (compose-cdk8s.io/config-digest): the lines',
    'given, and for each (dict "secret" NAME) the data of that Secret as this release renders it. A',
    "Secret not rendered (existingSecret) is left out: its content is not the chart's.",
    '*/}}',
    `{{- define ${q(helperName(chartName))} -}}`,
    '{{- $rendered := dict -}}',
    '{{- range regexSplit "(^|\\n)---\\n" (include (print .root.Template.BasePath "/secrets.yaml") .root) -1 -}}',
    '{{- $object := fromYaml . -}}',
    '{{- with $object.metadata }}{{ $_ := set $rendered .name $object }}{{ end -}}',
    '{{- end -}}',
    '{{- $text := "" -}}',
    '{{- range .lines -}}',
    '{{- if kindIs "string" . -}}',
    '{{- $text = print $text . -}}',
    '{{- else -}}',
    '{{- with get $rendered .secret -}}',
    '{{- $text = print $text (printf "Secret/%s %s\\n" .metadata.name (dict "data" .data | toJson | sha256sum)) -}}',
    '{{- end -}}',
    '{{- end -}}',
    '{{- end -}}',
    '{{- $text | sha256sum -}}',
    '{{- end }}',
    '',
  ].join('\n');
}

/**
 * The template expression of a pod template's digest, or undefined when the literal one is right
 * (it reads none of the chart's Secrets). `podSpec` names the objects as converted (before the
 * references follow `existingSecret`); `secrets` are the chart's Secrets, `configs` all its
 * ConfigMaps and Secrets by `Kind/name`.
 */
export function configDigestExpression(
  chartName: string,
  template: Json,
  podSpec: unknown,
  secrets: ReadonlySet<string>,
  configs: ReadonlyMap<string, Json>,
): string | undefined {
  const annotations = (template.metadata as Json | undefined)?.annotations as Json | undefined;
  if (annotations?.[CONFIG_DIGEST_ANNOTATION] === undefined) return undefined;
  const templated = (ref: ObjectRef) => ref.kind === 'Secret' && secrets.has(ref.name);
  const refs = consumedObjects(podSpec).filter((ref) => configs.has(refKey(ref)));
  if (!refs.some(templated)) return undefined;
  const entries = refs.map((ref) =>
    templated(ref)
      ? `(dict "secret" ${q(ref.name)})`
      : q(digestLine(ref, contentDigest(configs.get(refKey(ref)) as Json))),
  );
  return `include ${q(helperName(chartName))} (dict "root" $ "lines" (list ${entries.join(' ')})) | quote`;
}
