/**
 * Typed props of the Kubernetes L1 classes, emitted as plain ApiObjects. An L1 object converts
 * its props (Quantity, IntOrString) after the user's JSON patches are applied, so a patch such as
 * `JsonPatch.replace('/spec/resources/requests/storage', '5Gi')` would silently vanish; a plain
 * ApiObject holds final JSON, and every patch lands as written.
 */
import {
  ApiObject,
  App,
  ImplicitTokenResolver,
  LazyResolver,
  NumberStringUnionResolver,
  type ApiObjectProps,
  type JsonPatch,
} from 'cdk8s';
import type { Construct } from 'constructs';

interface KubeClass<P> {
  manifest(props: P): ApiObjectProps;
}

/**
 * An ApiObject whose props are already final JSON (strings, numbers, booleans, arrays, plain
 * objects). cdk8s's synthesis asks every resolver about every value of every object (a context
 * object and a key path per value): for JSON and the app's default resolvers, which only act on
 * Lazy values, objects with a resolve() method and number-or-string unions, that is a copy of the
 * value, and it was a fifth of the time of a 10 000-service convert. This object then gives the
 * same JSON from one sorted copy. Anything else (a custom resolver, a JSON patch, a value that is
 * not plain JSON) takes cdk8s's own path.
 */
export class PlainApiObject extends ApiObject {
  private patched = false;

  constructor(
    scope: Construct,
    id: string,
    private readonly json: ApiObjectProps,
  ) {
    super(scope, id, json);
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  override toJson(): unknown {
    if (this.patched || !hasDefaultResolvers(App.of(this))) return super.toJson();
    const sortKeys = !process.env.CDK8S_DISABLE_SORT;
    const sanitized = sanitizedJson({ ...this.json, metadata: this.metadata.toJson() as unknown }, sortKeys);
    if (sanitized === NOT_JSON || typeof sanitized !== 'object' || sanitized === null) return super.toJson();
    // As ApiObject.toJson: apiVersion, kind and metadata first.
    const record = sanitized as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(record)]) {
      if (key in record) result[key] = record[key];
    }
    return result;
  }
}

function hasDefaultResolvers(app: Construct): boolean {
  if (!(app instanceof App)) return false;
  const r = app.resolvers;
  return (
    r.length === 3 &&
    r[0] instanceof LazyResolver &&
    r[1] instanceof ImplicitTokenResolver &&
    r[2] instanceof NumberStringUnionResolver
  );
}

const NOT_JSON = Symbol('not plain JSON');

/**
 * cdk8s's sanitizeValue (lib/_util.js) for plain JSON: keys sorted, null and undefined members
 * dropped (in arrays they stay undefined, as there). NOT_JSON for any other object.
 */
function sanitizedJson(value: unknown, sortKeys: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return typeof value === 'function' ? NOT_JSON : value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sanitizedJson(value[i], sortKeys);
      if (item === NOT_JSON) return NOT_JSON;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_JSON;
  const record = value as Record<string, unknown>;
  const keys = sortKeys ? Object.keys(record).sort() : Object.keys(record);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const item = sanitizedJson(record[key], sortKeys);
    if (item === NOT_JSON) return NOT_JSON;
    if (item !== null && item !== undefined) out[key] = item;
  }
  return out;
}

export function kubeObject<P>(kind: KubeClass<P>, scope: Construct, id: string, props: P): ApiObject {
  return new PlainApiObject(scope, id, kind.manifest(props));
}

/** A Secret's `data`: each value base64-encoded. */
export const base64Values = (values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
