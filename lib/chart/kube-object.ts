/**
 * Typed props of the Kubernetes L1 classes, emitted as plain ApiObjects. An L1 object converts
 * its props (Quantity, IntOrString) after the user's JSON patches are applied, so a patch such as
 * `JsonPatch.replace('/spec/resources/requests/storage', '5Gi')` would silently vanish; a plain
 * ApiObject holds final JSON, and every patch lands as written.
 */
import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';

interface KubeClass<P> {
  manifest(props: P): ApiObjectProps;
}

export function kubeObject<P>(kind: KubeClass<P>, scope: Construct, id: string, props: P): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}

/** A Secret's `data`: each value base64-encoded. */
export const base64Values = (values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
