/**
 * What the API server judges after an object is created: a StatefulSet's pod template and claim
 * templates are not validated with the StatefulSet (Kubernetes 1.26 leaves that to the pods and
 * claims its controller creates), so the server's verdict on a StatefulSet is also its verdict on
 * its first pod and claims, built here as the controller builds them.
 */
import { stringifyDocuments } from '../../lib/output/yaml';

type Json = Record<string, unknown>;

const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface Derived {
  /** What it is to the reader: `its pod`, `its claim data-db-0`. */
  readonly role: string;
  readonly object: Json;
}

/** The pod `<set>-0` and its claims `<template>-<set>-0`, as the StatefulSet controller makes them. */
export function derivedObjects(object: unknown): Derived[] {
  const o = record(object);
  if (o.kind !== 'StatefulSet') return [];
  const name = String(record(o.metadata).name ?? '');
  const spec = record(o.spec);
  const template = record(spec.template);
  const claims = list(spec.volumeClaimTemplates).map(record);
  const podName = `${name}-0`;
  const claimName = (c: Json) => `${String(record(c.metadata).name ?? '')}-${podName}`;
  const claimVolumes = claims.map((c) => ({
    name: String(record(c.metadata).name ?? ''),
    persistentVolumeClaim: { claimName: claimName(c) },
  }));
  const podSpec = record(template.spec);
  // The controller puts each claim in the volume of the template's name, replacing one so named.
  const volumes = [
    ...list(podSpec.volumes).filter((v) => !claimVolumes.some((c) => c.name === record(v).name)),
    ...claimVolumes,
  ];
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...record(template.metadata),
      name: podName,
      labels: {
        ...record(record(template.metadata).labels),
        'controller-revision-hash': `${name}-6d8f9c7b5f`,
        'statefulset.kubernetes.io/pod-name': podName,
      },
    },
    spec: {
      ...podSpec,
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: podName,
      ...(typeof spec.serviceName === 'string' ? { subdomain: spec.serviceName } : {}),
    },
  };
  const selectorLabels = record(record(spec.selector).matchLabels);
  return [
    { role: 'its pod', object: pod },
    ...claims.map((c) => ({
      role: `its claim ${claimName(c)}`,
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          ...record(c.metadata),
          name: claimName(c),
          labels: { ...record(record(c.metadata).labels), ...selectorLabels },
        },
        spec: c.spec,
      },
    })),
  ];
}

export const documentOf = (object: unknown): string => stringifyDocuments([object]);
