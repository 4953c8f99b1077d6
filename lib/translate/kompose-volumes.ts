/**
 * What kompose's volume labels could not apply to: kompose mounts every volume of a service the
 * way kompose.volume.type says and sizes every claim it makes; here bind mounts keep their class
 * and only named volumes (and bind-mounted data on --host-mounts=drop) are claims.
 */
import type { ComposeService } from '../compose/model';
import { dropped, partial, type Finding } from './findings';
import type { KomposeVolumeType } from './kompose-labels';
import type { BindReport, ClaimRequest, VolumeOptions } from './volumes';

const VOLUME_TYPE = 'labels.kompose.volume.type';

/**
 * kompose.volume.type mounts every volume of the service one way. Here named volumes honour
 * emptyDir (and persistentVolumeClaim, the default), and bind mounts keep their class
 * (configuration -> ConfigMap, the rest -> hostPath on local clusters): kompose's claims or
 * emptyDirs would start without the host's files.
 */
function volumeTypeFindings(service: ComposeService, type: KomposeVolumeType, binds: readonly BindReport[]): Finding[] {
  const named = service.volumes.some((v) => v.type === 'volume' && v.source !== undefined);
  if (!named && binds.length === 0)
    return [dropped(VOLUME_TYPE, 'the service mounts no named volume or bind mount for it to apply to')];
  const findings: Finding[] = [];
  if (named && (type === 'hostPath' || type === 'configMap'))
    findings.push(
      partial(VOLUME_TYPE, `${type} applies to bind mounts only: named volumes stay PersistentVolumeClaims`),
    );
  const as = type === 'configMap' ? /^(ConfigMap|Secret) / : type === 'hostPath' ? /^hostPath / : undefined;
  const others = binds.filter((b) => !as?.test(b.becomes));
  if (others.length > 0)
    findings.push(
      partial(
        VOLUME_TYPE,
        `bind mounts keep their class, not ${type}: ${others.map((b) => `${b.hostPath} -> ${b.becomes}`).join(', ')}`,
      ),
    );
  return findings;
}

/** The kompose volume labels this service's volumes had nothing to apply to. */
export function komposeVolumeFindings(
  service: ComposeService,
  kompose: VolumeOptions['kompose'],
  claims: readonly ClaimRequest[],
  binds: readonly BindReport[],
): Finding[] {
  if (!kompose) return [];
  const findings = kompose.volumeType ? volumeTypeFindings(service, kompose.volumeType, binds) : [];
  const none =
    'applies to claims, which only named volumes (and bind-mounted data with --host-mounts=drop) become here; kompose also makes claims of bind mounts and anonymous volumes';
  if (claims.length === 0) {
    if (kompose.volumeSize) findings.push(dropped('labels.kompose.volume.size', none));
    if (kompose.storageClassName) findings.push(dropped('labels.kompose.volume.storage-class-name', none));
  }
  if (kompose.subPath && !service.volumes.some((v) => v.type === 'volume' && v.source !== undefined))
    findings.push(dropped('labels.kompose.volume.subpath', 'applies to named-volume mounts; this service has none'));
  return findings;
}
