/**
 * One Compose service as Kubernetes objects: its workload (Deployment, Job or DaemonSet), the
 * Service named after it, alias Services, and the ConfigMaps, Secrets and claims only it uses.
 * Built from L1 objects with explicit names: cdk8s-plus defaults (security contexts, requests,
 * probes, replicas, hashed names) would change how a Compose image runs.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { kubeObject } from './kube-object';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import { commandFields, imageOf, podFields, pullPolicy, securityContext, type Target } from '../translate/container';
import { planEnvironment } from '../translate/environment';
import { USER_CREATED_ANNOTATION } from '../validate/references';
import { account, type AccountObject, type KeyExplanation } from '../translate/account';
import type { ObjectRole } from '../translate/key-rules';
import { komposeLabelWrites } from '../translate/kompose-label-keys';
import type { HostMountMode } from '../translate/bind-mounts';
import type { ExtraServiceName } from '../translate/dns-names';
import {
  diagnosticFinding,
  dropped,
  findingDiagnostic,
  isWarning,
  keyLocation,
  xk8sLoadFindings,
  type Finding,
} from '../translate/findings';
import { healthProbes } from '../translate/health';
import { isKomposeLabel, type KomposeOptions } from '../translate/kompose-labels';
import { komposeInitContainer, komposeRuntimeNotes, statefulClaims } from '../translate/kompose-pod';
import { objectLabels, selectorLabels, suffixed } from '../translate/names';
import {
  internalNetworkNote,
  joinsAnotherNamespace,
  planApiServerEgress,
  planServiceNetworking,
} from '../translate/networks';
import { containerPorts, listeningPorts, servicePorts, withHostPorts } from '../translate/ports';
import { resources } from '../translate/resources';
import { planStartOrder, type ApiReads, type Dependency } from '../translate/start-order';
import { untranslatedKeys } from '../translate/untranslated';
import { serviceRule } from '../translate/registry';
import { claimSpec } from '../translate/claims';
import { fillInitContainer } from '../translate/volume-fill';
import { planVolumes, type BindReport, type ClaimRequest, type FileObject, type HostMount } from '../translate/volumes';
import type { WorkloadDecision, WorkloadKind } from '../translate/workload';
import { createWorkload, planAutoscaler } from './workload-objects';

export type { KeyExplanation } from '../translate/account';

export interface ComposeServiceProps {
  readonly project: ComposeProject;
  readonly service: ComposeService;
  readonly kubernetesName: string;
  readonly target: Target;
  readonly workload: WorkloadDecision;
  readonly dependencyOf: (name: string) => Dependency | undefined;
  /** Called for each named-volume claim the service mounts; the chart creates each claim once. */
  readonly useClaim: (claim: ClaimRequest, service: string) => void;
  /** Objects the chart creates for the service (published Service, Ingress, shared claims, policies...), once all exist. */
  readonly chartObjects: (role: ObjectRole, service: ComposeService) => readonly ApiObject[];
  /** What the chart says about the service once it is complete (its exposure, say). */
  readonly chartDiagnostics?: (service: ComposeService) => readonly Diagnostic[];
  readonly defaultVolumeSize: string;
  readonly storageClassName?: string;
  /** How bind mounts of host paths are handled (hostPath on local clusters by default). */
  readonly hostMounts: HostMountMode;
  /** `container_name` and network aliases that get a Service of their own (decided chart-wide). */
  readonly extraNames: readonly ExtraServiceName[];
  /** Findings about this service decided at chart level (names given to other services...). */
  readonly chartFindings: readonly Finding[];
  /** The service's kompose labels, parsed (kompose-labels.ts; their findings come in chartFindings). */
  readonly kompose: KomposeOptions;
}

const intOrString = (n: number) => k8s.IntOrString.fromNumber(n);

function data(object: FileObject): { data?: Record<string, string>; binaryData?: Record<string, string> } {
  // ConfigMap `data` must be UTF-8 text; anything else goes to `binaryData`. Secrets are always base64.
  const text: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [key, bytes] of Object.entries(object.data)) {
    const decoded = bytes.toString('utf8');
    if (object.kind === 'ConfigMap' && Buffer.from(decoded, 'utf8').equals(bytes)) text[key] = decoded;
    else binary[key] = bytes.toString('base64');
  }
  if (object.kind === 'Secret') return { data: binary };
  return {
    ...(Object.keys(text).length > 0 ? { data: text } : {}),
    ...(Object.keys(binary).length > 0 ? { binaryData: binary } : {}),
  };
}

export class ComposeServiceConstruct extends Construct {
  /** The Compose service name. */
  readonly serviceName: string;
  /** Its name in Kubernetes: the Compose name, made a DNS label when it is not one. */
  readonly kubernetesName: string;
  /** The Deployment, StatefulSet, DaemonSet, Job or CronJob running the service (see `workloadKind`). */
  readonly workload: ApiObject;
  readonly workloadKind: WorkloadKind;
  /** The kompose labels the exposure reads too (Service type, NodePort, Ingress). */
  readonly kompose: KomposeOptions;
  /** The ClusterIP Service named after the Compose service (headless when it has no port); none under `network_mode: service:`. */
  readonly service?: ApiObject;
  readonly selector: Readonly<Record<string, string>>;
  /** Services for `container_name` and network aliases, by name. */
  readonly extraServices: ReadonlyMap<string, ApiObject>;
  /** ConfigMaps only this service uses (`<name>-env`, bind-mounted config files), by Kubernetes name. */
  readonly configMaps: ReadonlyMap<string, ApiObject>;
  /** Secrets only this service uses (sensitive environment values, secret-looking files), by Kubernetes name. */
  readonly secrets: ReadonlyMap<string, ApiObject>;
  /** Claims only this service uses (anonymous volumes, data directories on generic), by Kubernetes name. */
  readonly claims: ReadonlyMap<string, ApiObject>;
  /** ServiceAccount of the start-order waits that read Jobs or Endpoints from the API (none under kompose.serviceaccount-name). */
  readonly waitServiceAccount?: ApiObject;
  /** `<service>-wait-api-egress`: lets the API waits of a pod only on internal networks reach the API server. */
  readonly waitApiEgressPolicy?: ApiObject;
  /** HorizontalPodAutoscaler of `kompose.hpa.*` labels. */
  readonly autoscaler?: ApiObject;
  /** What each bind mount became, and why. */
  readonly bindMounts: readonly BindReport[];
  /** Host directories the node must provide for this service's hostPath volumes. */
  readonly hostMounts: readonly HostMount[];
  readonly diagnostics: readonly Diagnostic[];

  constructor(scope: Construct, id: string, props: ComposeServiceProps) {
    super(scope, id);
    const { project, service, kubernetesName: name, target } = props;
    this.serviceName = service.name;
    this.kubernetesName = name;
    this.workloadKind = props.workload.kind;
    const kompose = props.kompose;
    this.kompose = kompose;
    this.selector = selectorLabels(project.name, name);
    const labels = objectLabels(project.name, name);
    const findings: Finding[] = [...props.workload.findings, ...props.chartFindings];
    const take = <T extends { findings: Finding[] }>(r: T): T => {
      findings.push(...r.findings);
      return r;
    };

    const ports = take(listeningPorts(service)).ports;
    const env = take(planEnvironment(service, suffixed(name, 'env')));
    const volumes = take(
      planVolumes(project, service, name, {
        localCluster: target !== 'generic',
        hostMounts: props.hostMounts,
        kompose,
      }),
    );
    const start = take(planStartOrder(project, service, props.dependencyOf));
    const networking = take(planServiceNetworking(project, service));
    const asksApi = start.reads.jobs.length > 0 || start.reads.endpoints.length > 0;
    const apiEgress = take(
      planApiServerEgress(project, service, suffixed(name, 'wait-api-egress'), this.selector, asksApi),
    );
    findings.push(...internalNetworkNote(project, service));
    const pod = take(podFields(service));
    const security = take(securityContext(service));
    const pull = take(pullPolicy(service, target, kompose.imagePullPolicy));
    const command = take(commandFields(service));
    const probes = take(healthProbes(service, props.workload.kind, kompose));
    const res = take(resources(service));
    findings.push(...untranslatedKeys(service, serviceRule));

    // Objects only this service uses.
    const envConfigMap = Object.keys(env.configData).length > 0 ? suffixed(name, 'env') : undefined;
    const envSecret = Object.keys(env.secretData).length > 0 ? suffixed(name, 'env') : undefined;
    const configMaps = new Map<string, ApiObject>();
    const secrets = new Map<string, ApiObject>();
    const claims = new Map<string, ApiObject>();
    if (envConfigMap) {
      configMaps.set(
        envConfigMap,
        kubeObject(k8s.KubeConfigMap, this, 'env-config', {
          metadata: { name: envConfigMap, labels },
          data: env.configData,
        }),
      );
    }
    if (envSecret) {
      const secretData = Object.fromEntries(
        Object.entries(env.secretData).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
      );
      secrets.set(
        envSecret,
        kubeObject(k8s.KubeSecret, this, 'env-secret', {
          metadata: { name: envSecret, labels },
          type: 'Opaque',
          data: secretData,
        }),
      );
    }
    for (const object of volumes.files) {
      const metadata = { name: object.name, labels };
      if (object.kind === 'Secret')
        secrets.set(
          object.name,
          kubeObject(k8s.KubeSecret, this, `file-${object.name}`, { metadata, type: 'Opaque', ...data(object) }),
        );
      else
        configMaps.set(
          object.name,
          kubeObject(k8s.KubeConfigMap, this, `file-${object.name}`, { metadata, ...data(object) }),
        );
    }
    const isStatefulSet = props.workload.kind === 'StatefulSet';
    const claimTemplates = isStatefulSet ? statefulClaims(volumes, project, service, findings) : new Map();
    for (const claim of volumes.claims) {
      if (claim.external === false && isStatefulSet) continue;
      if (claim.volume !== undefined) {
        props.useClaim(claim, service.name);
        continue;
      }
      const claimObject = new ApiObject(this, `claim-${claim.claimName}`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim.claimName, labels },
        spec: claimSpec(claim, props.defaultVolumeSize, props.storageClassName),
      });
      claims.set(claim.claimName, claimObject);
    }
    this.configMaps = configMaps;
    this.secrets = secrets;
    this.claims = claims;
    const reader = this.addApiReader(name, labels, start.reads, kompose.serviceAccountName);
    this.waitServiceAccount = reader.account;
    this.waitApiEgressPolicy = apiEgress.policy
      ? new ApiObject(this, 'wait-api-egress', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: apiEgress.policy.name, labels },
          spec: apiEgress.policy.spec,
        })
      : undefined;
    const serviceAccountName = reader.name;
    const envFrom = [
      ...(envConfigMap ? [{ configMapRef: { name: envConfigMap } }] : []),
      ...(envSecret && env.secretFromFiles ? [{ secretRef: { name: envSecret } }] : []),
      ...env.outsideEnvFiles.map((f) => ({
        secretRef: { name: f.secretName, ...(f.optional ? { optional: true } : {}) },
      })),
    ];
    const container: Record<string, unknown> = {
      name,
      image: imageOf(project, service),
      ...(pull.policy ? { imagePullPolicy: pull.policy } : {}),
      ...(command.command ? { command: command.command } : {}),
      ...(command.args ? { args: command.args } : {}),
      ...(service.workingDir ? { workingDir: service.workingDir } : {}),
      ...(ports.length > 0 ? { ports: containerPorts(kompose.hostPorts ? withHostPorts(ports, service) : ports) } : {}),
      ...(envFrom.length > 0 ? { envFrom } : {}),
      ...(env.env.length > 0 ? { env: env.env } : {}),
      ...(res.resources ? { resources: res.resources } : {}),
      ...(volumes.mounts.length > 0 ? { volumeMounts: volumes.mounts } : {}),
      ...(probes.startupProbe ? { startupProbe: probes.startupProbe } : {}),
      ...(probes.readinessProbe ? { readinessProbe: probes.readinessProbe } : {}),
      ...(probes.livenessProbe ? { livenessProbe: probes.livenessProbe } : {}),
      ...(security.securityContext ? { securityContext: security.securityContext } : {}),
      ...(service.tty ? { tty: true } : {}),
      ...(service.stdinOpen ? { stdin: true } : {}),
    };
    // kompose labels are instructions to the converter, not metadata of the pod.
    const annotations = {
      ...Object.fromEntries(Object.entries(service.labels).filter(([k]) => !isKomposeLabel(k))),
      ...service.annotations,
    };
    const isJob = props.workload.kind === 'Job' || props.workload.kind === 'CronJob';
    // Waits first: a volume shared with a dependency is filled by the dependency, as Compose
    // creates (and fills) containers in dependency order.
    const initContainers = [
      ...start.initContainers,
      ...volumes.fills.map((f) => fillInitContainer(f, imageOf(project, service), pull.policy)),
      ...(kompose.initContainer ? [komposeInitContainer(kompose.initContainer)] : []),
    ];
    const podSpec: Record<string, unknown> = {
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [container],
      ...(serviceAccountName ? { serviceAccountName } : {}),
      ...(kompose.imagePullSecret ? { imagePullSecrets: [{ name: kompose.imagePullSecret }] } : {}),
      ...networking.podFields,
      ...pod.fields,
      ...(kompose.fsGroup !== undefined
        ? { securityContext: { ...(pod.fields.securityContext as object | undefined), fsGroup: kompose.fsGroup } }
        : {}),
      ...(volumes.volumes.length > 0 ? { volumes: volumes.volumes } : {}),
      ...(isJob ? { restartPolicy: props.workload.restartPolicy } : {}),
    };
    const template = {
      metadata: {
        labels: { ...this.selector, ...networking.labels },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: podSpec,
    };
    // What the pod uses but the stack leaves to the user, so `validate` reminds instead of failing.
    const userCreated = [
      ...volumes.userCreated,
      ...env.outsideEnvFiles.filter((f) => !f.optional).map((f) => `Secret/${f.secretName}`),
      ...(kompose.serviceAccountName ? [`ServiceAccount/${kompose.serviceAccountName}`] : []),
    ];
    const metadata = {
      name,
      labels,
      ...(userCreated.length > 0
        ? { annotations: { [USER_CREATED_ANNOTATION]: [...new Set(userCreated)].join(' ') } }
        : {}),
    };
    const autoscaler = kompose.hpa
      ? take(planAutoscaler(name, props.workload.kind, kompose.hpa, labels, service, res.resources))
      : undefined;
    this.workload = createWorkload(this, {
      service,
      decision: props.workload,
      metadata,
      selector: this.selector,
      template,
      mountsClaim: volumes.mountsClaim,
      claimTemplates,
      defaultVolumeSize: props.defaultVolumeSize,
      storageClassName: props.storageClassName,
      autoscaled: autoscaler?.hpa !== undefined,
    });
    this.autoscaler = autoscaler?.hpa ? new ApiObject(this, 'hpa', autoscaler.hpa) : undefined;
    findings.push(...komposeRuntimeNotes(kompose, service, props.workload.kind));

    const extraServices = new Map<string, ApiObject>();
    const networked = !joinsAnotherNamespace(service);
    // A StatefulSet's pods are named through its governing Service, which must be headless.
    const headless = kompose.serviceType === 'Headless' || isStatefulSet;
    if (props.workload.kind !== 'CronJob' && (networked || isStatefulSet)) {
      this.service = this.createService(name, labels, ports, 'service', headless);
      for (const extra of networked ? props.extraNames : []) {
        extraServices.set(extra.name, this.createService(extra.name, labels, ports, `name-${extra.name}`));
      }
    }
    for (const extra of props.extraNames.filter((e) => !extraServices.has(e.name))) {
      findings.push(
        dropped(
          extra.key,
          props.workload.kind === 'CronJob'
            ? 'a CronJob gets no Service, so nothing answers to this name'
            : 'the service has no network of its own (network_mode), so no Service answers to this name',
        ),
      );
    }
    this.extraServices = extraServices;
    this.bindMounts = volumes.binds;
    this.hostMounts = volumes.hostMounts;

    this.diagnostics = findings.filter(isWarning).map((f) => findingDiagnostic(service, f));
    this.findings = [...findings, ...xk8sLoadFindings(project, service)];
    this.envObjects = [...configMaps.entries(), ...secrets.entries()]
      .filter(([n]) => n === envConfigMap || n === envSecret)
      .map(([, o]) => o);
    this.fileObjects = volumes.files.map((f) => (f.kind === 'Secret' ? secrets : configMaps).get(f.name) as ApiObject);
    this.waitObjects = [reader.account, reader.role, reader.binding, this.waitApiEgressPolicy].filter(
      (o): o is ApiObject => o !== undefined,
    );
    this.extraNames = props.extraNames;
    this.chartObjects = props.chartObjects;
    this.chartDiagnostics = props.chartDiagnostics ?? (() => []);
    this.service_ = service;
  }

  private readonly findings: readonly Finding[];
  private readonly envObjects: readonly ApiObject[];
  private readonly fileObjects: readonly ApiObject[];
  private readonly waitObjects: readonly ApiObject[];
  private readonly extraNames: readonly ExtraServiceName[];
  private readonly chartObjects: ComposeServiceProps['chartObjects'];
  private readonly chartDiagnostics: NonNullable<ComposeServiceProps['chartDiagnostics']>;
  private readonly service_: ComposeService;
  private explained?: readonly KeyExplanation[];

  /** The objects of a role, for the account (a `names` row sees only the Service of its own name). */
  objectsFor(role: ObjectRole, rowKey = ''): readonly ApiObject[] {
    const defined = (...objects: (ApiObject | undefined)[]) => objects.filter((o): o is ApiObject => o !== undefined);
    switch (role) {
      case 'workload':
        return [this.workload];
      case 'service':
        return defined(this.service);
      case 'names':
        return this.extraNames.filter((e) => e.key === rowKey).flatMap((e) => defined(this.extraServices.get(e.name)));
      case 'claims':
        return [...this.claims.values(), ...this.chartObjects('claims', this.service_)];
      case 'env':
        // `environment` values only ever go to the Secret; the ConfigMap holds env files.
        return rowKey === 'environment' ? this.envObjects.filter((o) => o.kind === 'Secret') : this.envObjects;
      case 'files':
        return this.fileObjects;
      case 'waits':
        return this.waitObjects;
      case 'autoscaler':
        return defined(this.autoscaler);
      default:
        return this.chartObjects(role, this.service_);
    }
  }

  /**
   * Every key the service sets, with what it became (the objects and fields, each present in
   * the output) or why it was only partly translated or dropped. Read off the synthesized
   * objects, so it is computed on first use, once the chart is complete.
   */
  get explanations(): readonly KeyExplanation[] {
    if (this.explained) return this.explained;
    const json = new Map<ApiObject, AccountObject>();
    const read = (o: ApiObject): AccountObject => {
      let done = json.get(o);
      if (!done) {
        done = { ref: `${o.kind}/${o.name}`, json: o.toJson() as Record<string, unknown> };
        json.set(o, done);
      }
      return done;
    };
    const service = this.service_;
    this.explained = account({
      keys: service.keys,
      ruleOf: serviceRule,
      findings: [
        ...this.findings,
        ...this.chartDiagnostics(service).flatMap((d) => diagnosticFinding(service, d) ?? []),
      ],
      objects: (role, rowKey) => this.objectsFor(role, rowKey).map(read),
      extraRows: Object.keys(service.labels)
        .filter(isKomposeLabel)
        .sort()
        .map((label) => ({
          key: `labels.${label}`,
          writes: komposeLabelWrites(label, service.labels[label], this.workloadKind),
          location: service.labelLocations[label],
          ...(label === 'kompose.service.type' && service.labels[label].trim().toLowerCase() === 'clusterip'
            ? { nothing: 'ClusterIP: the type Kubernetes gives a Service by default' }
            : {}),
        })),
      locate: (key) => keyLocation(service, key),
    });
    return this.explained;
  }

  /**
   * A ServiceAccount that may read exactly the Jobs and Endpoints the start-order waits ask about.
   * With kompose.serviceaccount-name the pod runs as that account, and the Role is bound to it.
   */
  private addApiReader(
    name: string,
    labels: Record<string, string>,
    reads: ApiReads,
    existing?: string,
  ): { name?: string; account?: ApiObject; role?: ApiObject; binding?: ApiObject } {
    if (reads.jobs.length === 0 && reads.endpoints.length === 0) return { name: existing };
    const serviceAccountName = existing ?? suffixed(name, 'wait');
    const account = existing
      ? undefined
      : kubeObject(k8s.KubeServiceAccount, this, 'wait-sa', { metadata: { name: serviceAccountName, labels } });
    const roleName = suffixed(name, 'wait');
    const role = kubeObject(k8s.KubeRole, this, 'wait-role', {
      metadata: { name: roleName, labels },
      rules: [
        ...(reads.jobs.length > 0
          ? [{ apiGroups: ['batch'], resources: ['jobs'], resourceNames: [...reads.jobs], verbs: ['get'] }]
          : []),
        ...(reads.endpoints.length > 0
          ? [{ apiGroups: [''], resources: ['endpoints'], resourceNames: [...reads.endpoints], verbs: ['get'] }]
          : []),
      ],
    });
    const binding = kubeObject(k8s.KubeRoleBinding, this, 'wait-binding', {
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccountName }],
    });
    return { name: serviceAccountName, account, role, binding };
  }

  private createService(
    name: string,
    labels: Record<string, string>,
    ports: ReturnType<typeof listeningPorts>['ports'],
    id = 'service',
    headless = false,
  ): ApiObject {
    const spec =
      ports.length > 0
        ? {
            ...(headless ? { clusterIp: 'None' } : {}),
            selector: { ...this.selector },
            ports: servicePorts(ports).map((p) => ({ ...p, targetPort: intOrString(p.targetPort) })),
          }
        : // Headless: the name resolves to the pod, as on a Compose network, with no port to declare.
          { clusterIp: 'None', selector: { ...this.selector } };
    return kubeObject(k8s.KubeService, this, id, { metadata: { name, labels }, spec });
  }
}
