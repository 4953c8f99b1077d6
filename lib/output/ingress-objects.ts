/**
 * The Ingresses of a synthesized stack, typed once for everything that describes the stack from
 * its objects (NOTES.md and the scripts, the diagram, the Helm values), so each reads the routes
 * that are applied, including those chart code adds.
 */

export interface IngressPath {
  readonly path?: string;
  readonly pathType?: string;
  readonly backend?: { readonly service?: { readonly name?: string; readonly port?: { readonly number?: number } } };
}

export interface IngressRule {
  readonly host?: string;
  readonly http?: { readonly paths?: readonly IngressPath[] };
}

export interface IngressTls {
  readonly hosts?: readonly string[];
  readonly secretName?: string;
}

export interface IngressObject {
  readonly kind: 'Ingress';
  readonly metadata: { readonly name: string };
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly tls?: readonly IngressTls[];
    readonly rules?: readonly IngressRule[];
  };
}

export function ingressObjects(objects: readonly unknown[]): IngressObject[] {
  return objects.filter(
    (o): o is IngressObject => typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'Ingress',
  );
}
