/** Claim options come from x-k8s and kompose labels as free text: checked before they reach YAML. */
import type { ClaimRequest } from './volumes';

/** Kubernetes' resource.Quantity grammar (`10Gi`, `500M`, `1e3`). */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const ACCESS_MODES = new Set(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);

export function claimProblem(claim: ClaimRequest): string | undefined {
  if (claim.size !== undefined && !QUANTITY.test(claim.size)) {
    return `volume size "${claim.size}" of ${claim.claimName} is not a Kubernetes quantity (e.g. 10Gi, 500Mi)`;
  }
  if (claim.storageClassName !== undefined && !DNS_SUBDOMAIN.test(claim.storageClassName)) {
    return `storage class "${claim.storageClassName}" of ${claim.claimName} is not a valid StorageClass name`;
  }
  const selector = Object.values(claim.selector ?? {}).find((v) => !LABEL_VALUE.test(v));
  if (selector !== undefined)
    return `kompose.volume.selector "${selector}" of ${claim.claimName} is not a label value (at most 63 letters, digits, "-", "_", ".")`;
  const bad = claim.accessModes?.find((m) => !ACCESS_MODES.has(m));
  if (bad) return `access mode "${bad}" of ${claim.claimName} is not one of ${[...ACCESS_MODES].join(', ')}`;
  return undefined;
}
