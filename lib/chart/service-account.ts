/**
 * The account of one service: its keys (and its kompose labels, and its Traefik routers, services
 * and middlewares, a row each) with the objects and fields they became, read off the synthesized
 * objects of the roles the registry names.
 */
import type { ApiObject } from 'cdk8s';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeService } from '../compose/model';
import { account, type AccountObject, type ExtraRow, type KeyExplanation } from '../translate/account';
import { diagnosticFinding, keyLocation, type Finding } from '../translate/findings';
import type { ObjectRole } from '../translate/key-rules';
import { komposeLabelWrites } from '../translate/kompose-label-keys';
import { isKomposeLabel } from '../translate/kompose-labels';
import { serviceRule } from '../translate/registry';
import type { WorkloadKind } from '../translate/workload';

export interface ServiceAccountInput {
  readonly service: ComposeService;
  readonly workloadKind: WorkloadKind;
  readonly findings: readonly Finding[];
  /** What the chart said about the service after its construct was built (its exposure). */
  readonly chartDiagnostics: readonly Diagnostic[];
  readonly objectsFor: (role: ObjectRole, rowKey: string) => readonly ApiObject[];
  /** Rows of labels that say something of their own: Traefik's routers, services, middlewares. */
  readonly labelRows?: readonly ExtraRow[];
}

/** Reads each object's JSON once, however many rows name it. */
export function objectReader(): (o: ApiObject) => AccountObject {
  const json = new Map<ApiObject, AccountObject>();
  return (o) => {
    let done = json.get(o);
    if (!done) {
      done = { ref: `${o.kind}/${o.name}`, json: o.toJson() as Record<string, unknown> };
      json.set(o, done);
    }
    return done;
  };
}

/** A row per kompose label: each is an instruction with objects and fields of its own. */
function komposeRows(service: ComposeService, kind: WorkloadKind): ExtraRow[] {
  return Object.keys(service.labels)
    .filter(isKomposeLabel)
    .sort()
    .map((label) => ({
      key: `labels.${label}`,
      writes: komposeLabelWrites(label, service.labels[label], kind),
      location: service.labelLocations[label],
      ...(label === 'kompose.service.type' && service.labels[label].trim().toLowerCase() === 'clusterip'
        ? { nothing: 'ClusterIP: the type Kubernetes gives a Service by default' }
        : {}),
    }));
}

export function explainService(input: ServiceAccountInput): KeyExplanation[] {
  const { service } = input;
  const read = objectReader();
  return account({
    keys: service.keys,
    ruleOf: serviceRule,
    findings: [...input.findings, ...input.chartDiagnostics.flatMap((d) => diagnosticFinding(service, d) ?? [])],
    objects: (role, rowKey) => input.objectsFor(role, rowKey).map(read),
    extraRows: [...komposeRows(service, input.workloadKind), ...(input.labelRows ?? [])],
    locate: (key) => keyLocation(service, key),
  });
}
