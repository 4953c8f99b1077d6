/**
 * The PersistentVolumeClaim a named volume asks for: its name, size, class and access modes from
 * the volume's `x-k8s` and kompose labels, the service's `x-k8s.volumes.<name>` and its kompose
 * volume labels; and the check of those free-text options before they reach YAML.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { DNS_SUBDOMAIN, LABEL_VALUE, QUANTITY } from '../k8s-grammar';
import type { KomposeOptions } from './kompose-labels';
import { dnsSubdomain } from './names';

export interface ClaimRequest {
  /** Compose volume key, or undefined for a claim made for a bind-mounted data directory. */
  readonly volume?: string;
  readonly claimName: string;
  readonly size?: string;
  /** Where size and class were set (`volumes.data.x-k8s`, `services.db.labels`), for error messages. */
  readonly setIn?: string;
  readonly storageClassName?: string;
  readonly accessModes?: string[];
  /** `kompose.volume.selector` on the volume: bind only to PersistentVolumes kompose labelled so. */
  readonly selector?: Record<string, string>;
  readonly external: boolean;
}

/** The kompose volume labels of a service, which apply to every volume it mounts. */
export type ServiceVolumeLabels = Pick<KomposeOptions, 'volumeType' | 'volumeSize' | 'storageClassName' | 'subPath'>;

/** An empty string is "not set", as an empty label value is. */
const str = (v: string | undefined) => (v !== '' ? v : undefined);

/** Per-service overrides: kompose labels for all its volumes, `x-k8s.volumes.<name>` per volume. */
export function serviceVolumeOverrides(
  service: ComposeService,
  volume: string,
  kompose: ServiceVolumeLabels | undefined,
) {
  const perVolume = service.k8s.volumes?.[volume] ?? {};
  return {
    size: str(perVolume.size) ?? kompose?.volumeSize,
    storageClassName: str(perVolume.storageClassName) ?? kompose?.storageClassName,
    subPath: str(perVolume.subPath) ?? kompose?.subPath,
  };
}

export function claimFor(
  project: ComposeProject,
  service: ComposeService,
  volume: string,
  kompose?: ServiceVolumeLabels,
): ClaimRequest {
  const def = project.volumes[volume];
  const ext = def?.k8s ?? {};
  const overrides = serviceVolumeOverrides(service, volume, kompose);
  const modes = ext.accessModes;
  // kompose reads `kompose.volume.size` and `kompose.volume.selector` on the volume too; the volume's wins.
  const volumeSize = str(def?.labels['kompose.volume.size']);
  const selector = str(def?.labels['kompose.volume.selector']);
  return {
    volume,
    // `name:` is the volume's real name under Compose (external or not); the key is only a handle.
    claimName: dnsSubdomain(def?.name ?? volume),
    size: str(ext.size) ?? volumeSize ?? overrides.size,
    storageClassName: str(ext.storageClassName) ?? overrides.storageClassName,
    setIn:
      str(ext.size) || str(ext.storageClassName)
        ? `volumes.${volume}.x-k8s`
        : volumeSize || selector
          ? `volumes.${volume}.labels`
          : `services.${service.name}`,
    accessModes: modes && modes.length > 0 ? modes : undefined,
    ...(selector ? { selector: { 'io.kompose.service': selector } } : {}),
    external: def?.external ?? false,
  };
}

/**
 * The PersistentVolumeClaim spec of a claim, for a shared claim, a service's own claim and a
 * StatefulSet's claim template alike; what the claim does not say comes from the chart's defaults.
 */
export function claimSpec(claim: ClaimRequest, defaultSize: string, defaultStorageClass?: string) {
  const storageClassName = claim.storageClassName ?? defaultStorageClass;
  return {
    accessModes: claim.accessModes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: claim.size ?? defaultSize } },
    ...(storageClassName ? { storageClassName } : {}),
    ...(claim.selector ? { selector: { matchLabels: claim.selector } } : {}),
  };
}

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
