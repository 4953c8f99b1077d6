/**
 * What a service's mounts become, gathered mount by mount: pod volumes and container mounts, the
 * claims and file objects behind them, the fills from the image, and what each bind mount was.
 * Each kind of mount has its own planner (volumes.ts, bind-volumes.ts); they share this builder,
 * which keeps volume and object names unique.
 */
import type { HostSide } from '../compose/model';
import type { BindClass, HostMountMode } from './bind-mounts';
import type { ClaimRequest, ServiceVolumeLabels } from './claims';
import { note, type Finding } from './findings';
import { dnsLabel, uniqueName } from './names';
import { lostFoundContainerName, type FillRequest } from './volume-fill';

export interface ExclusiveMount {
  /** The mount that asks for it (`volumes[0]`): explain gives the reason on its row. */
  readonly key: string;
  /** `the Deployment mounts a claim (ReadWriteOnce: one node at a time)` */
  readonly why: string;
  /** `a rolling update would wait forever for the claim the old pod holds` */
  readonly risk: string;
}

const CLAIM_WHY = 'the Deployment mounts a claim (ReadWriteOnce: one node at a time)';

export interface FileObject {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** key -> bytes */
  readonly data: Readonly<Record<string, Buffer>>;
  /** Mounted by several services: one object for all, the chart's (bind-volumes.ts sharedFileNames). */
  readonly shared?: boolean;
}

/** A host directory the node must provide (kind extraMounts, `minikube mount`). */
export interface HostMount {
  /** The host side, anchored to the project, the home directory or the root. */
  readonly host: HostSide;
  /** Where the node holds it. */
  readonly nodePath: string;
}

/** What one bind mount became, for the convert summary and explain. */
export interface BindReport {
  readonly key: string;
  /** The host path as written in terms of the project: `./nginx.conf`, `~/.aws`. */
  readonly hostPath: string;
  readonly target: string;
  readonly class: BindClass;
  readonly reason: string;
  /** `ConfigMap web-etc-nginx`, `hostPath /compose-cdk8s/project/Backend`, `claim app-uploads`, `not mounted`. */
  readonly becomes: string;
  readonly credentials?: string;
}

export interface VolumePlan {
  readonly volumes: Record<string, unknown>[];
  readonly mounts: Record<string, unknown>[];
  readonly claims: ClaimRequest[];
  readonly files: FileObject[];
  /** Named and anonymous volumes to fill from the image before the service starts. */
  readonly fills: FillRequest[];
  /**
   * Pod volumes of claims that start empty without a fill (nocopy, bind-mounted data on a claim):
   * their init container removes the `lost+found` of a new filesystem (volume-fill.ts).
   */
  readonly emptyClaims: string[];
  readonly hostMounts: HostMount[];
  readonly binds: BindReport[];
  /**
   * Why two pods of the service must never run at once (strategy Recreate), and what a rolling
   * update would do: a ReadWriteOnce claim, or a data directory of the node written in place.
   */
  readonly exclusive?: ExclusiveMount;
  /** `Secret/aws`: objects the pod uses that the user creates (external, or from outside the project). */
  readonly userCreated: string[];
  readonly findings: Finding[];
}

export interface VolumeOptions {
  /** kind and minikube: the node is this machine (or mounts from it). */
  readonly localCluster: boolean;
  readonly hostMounts: HostMountMode;
  readonly kompose?: ServiceVolumeLabels;
}

export class VolumePlanBuilder implements VolumePlan {
  readonly volumes: Record<string, unknown>[] = [];
  readonly mounts: Record<string, unknown>[] = [];
  readonly claims: ClaimRequest[] = [];
  readonly files: FileObject[] = [];
  readonly fills: FillRequest[] = [];
  readonly emptyClaims: string[] = [];
  readonly hostMounts: HostMount[] = [];
  readonly binds: BindReport[] = [];
  readonly userCreated: string[] = [];
  readonly findings: Finding[] = [];
  exclusive?: ExclusiveMount;
  private readonly volumeNames = new Set<string>();
  // Two mount paths can slug alike (`/app.d`, `/app-d`): object names get a suffix rather than clash.
  private readonly objectNames = new Set<string>();

  constructor(
    /** The service's Kubernetes name, which its objects are named after. */
    readonly k8sName: string,
    readonly options: VolumeOptions,
  ) {}

  volumeName(wanted: string): string {
    return uniqueName(dnsLabel(wanted), this.volumeNames);
  }

  objectName(wanted: string): string {
    return uniqueName(wanted, this.objectNames);
  }

  /** A ReadWriteOnce claim is mounted: it says why the pods are replaced all at once, whatever else does. */
  mountsClaim(key: string): void {
    if (this.exclusive?.why === CLAIM_WHY) return;
    this.exclusive = {
      key,
      why: CLAIM_WHY,
      risk: 'a rolling update would wait forever for the claim the old pod holds',
    };
  }

  /** A pod volume and its mount in the container. */
  add(volume: Record<string, unknown>, mountPath: string, extra: Record<string, unknown> = {}): void {
    this.volumes.push(volume);
    this.mounts.push({ name: volume.name, mountPath, ...extra });
  }

  /**
   * Docker copies the image's files into a new named or anonymous volume, unless told not to.
   * A claim also loses the empty `lost+found` of a new filesystem, as a new Docker volume is
   * empty (an emptyDir never has one; a subPath mount sees a directory the kubelet makes).
   */
  fill(key: string, name: string, target: string, nocopy: boolean, subPath?: string, emptyDir = false): void {
    if (nocopy) {
      const clears = !emptyDir && !subPath ? `; ${this.startEmpty(name)}` : '';
      this.findings.push(note(key, `nocopy: the volume starts empty, the image files at the path are hidden${clears}`));
    } else if (subPath) this.findings.push(note(key, 'mounted at a subPath: not filled from the image'));
    else {
      this.fills.push({ volume: name, target, ...(emptyDir ? {} : { claim: true }) });
      // An emptyDir is new with every pod, so the copy runs every time; a claim is filled once.
      const when = emptyDir ? 'at every pod start' : 'at first start';
      const clears = emptyDir ? '' : `, after removing the empty lost+found a new filesystem holds`;
      this.findings.push(note(key, `filled from the image's ${target} ${when} (init container fill-${name}${clears})`));
    }
  }

  /** A claim that starts empty, without a fill: what its init container does, for its finding. */
  startEmpty(name: string): string {
    this.emptyClaims.push(name);
    return `init container ${lostFoundContainerName(name)} removes the empty lost+found a new filesystem holds, so it starts as empty as a new Docker volume`;
  }
}
