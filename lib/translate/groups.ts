/**
 * `group_add` -> the pod's `securityContext.supplementalGroups`. Docker adds each group to the
 * container's process, resolving names in the image's /etc/group; Kubernetes takes numbers only,
 * and the image's files are not readable from here, so a name is reported with what to write.
 */
import type { ComposeService } from '../compose/model';
import { dropped, type Finding } from './findings';

export function supplementalGroups(service: ComposeService): { groups?: number[]; findings: Finding[] } {
  const groups: number[] = [];
  const findings: Finding[] = [];
  service.groupAdd.forEach((group, i) => {
    // `root` is gid 0 in every image, as the user `root` is uid 0.
    const gid = /^\d+$/.test(group) ? Number(group) : group === 'root' ? 0 : undefined;
    if (gid === undefined) {
      findings.push(
        dropped(
          `group_add[${i}]`,
          `"${group}" is a group name; Kubernetes needs its number, from the image's /etc/group (getent group ${group}), written in group_add instead`,
        ),
      );
    } else if (!groups.includes(gid)) groups.push(gid);
  });
  return { ...(groups.length > 0 ? { groups } : {}), findings };
}
