/**
 * Renders a synthesized chart to the files of one stack directory. Pure: no I/O, so the CLI can
 * write atomically and the cdk8s app and the CLI produce byte-identical output.
 */
import { stringifyDocuments } from './yaml';

export type ManifestFormat = 'yaml' | 'json';

export interface RenderOptions {
  readonly format?: ManifestFormat;
  /** One file per object instead of one file for the whole stack. */
  readonly split?: boolean;
  /** Base name of the single manifest file (without extension). */
  readonly baseName?: string;
}

export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** File path (relative to the stack directory) -> content, in a stable order. */
export type StackFiles = Map<string, string>;

export function isManifestObject(value: unknown): value is ManifestObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const metadata = o.metadata as Record<string, unknown> | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof metadata?.name === 'string';
}

export function serialize(objects: readonly unknown[], format: ManifestFormat): string {
  if (format === 'json') {
    return (
      JSON.stringify(objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects }, null, 2) +
      '\n'
    );
  }
  return stringifyDocuments(objects);
}

/**
 * `Deployment` `api` -> `deployment-api`; unique per stack because names are unique per kind.
 * The Namespace file sorts first (`00-`): `kubectl apply -f <dir>` reads files in name order.
 */
export function objectFileName(object: ManifestObject, format: ManifestFormat): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}-` : '';
  const first = object.kind === 'Namespace' ? '00-' : '';
  return `${first}${object.kind.toLowerCase()}-${ns}${object.metadata.name}.${format}`;
}

/** Where `--split` writes one file per object: `kubectl apply -f <stack dir>/manifests/` applies them all. */
export const SPLIT_DIR = 'manifests';

export function renderManifests(objects: readonly unknown[], options: RenderOptions = {}): StackFiles {
  const format = options.format ?? 'yaml';
  const files: StackFiles = new Map();
  if (!options.split) {
    files.set(`${options.baseName ?? 'manifests'}.${format}`, serialize(objects, format));
    return files;
  }
  // In their own directory: the stack directory also holds kustomization.yaml and kind-cluster.yaml,
  // which are not Kubernetes objects, so `kubectl apply -f <stack dir>` fails on them.
  for (const object of objects) {
    if (!isManifestObject(object)) throw new Error('synthesized object without apiVersion, kind and metadata.name');
    files.set(`${SPLIT_DIR}/${objectFileName(object, format)}`, serialize([object], format));
  }
  return files;
}

/** A kustomization listing the manifest files, so `kubectl apply -k <dir>` works. */
export function renderKustomization(manifestFiles: readonly string[], namespace?: string): string {
  const doc: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
  };
  if (namespace) doc.namespace = namespace;
  doc.resources = [...manifestFiles];
  return stringifyDocuments([doc]);
}
