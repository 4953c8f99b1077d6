/**
 * One Compose service as Kubernetes objects: its workload (Deployment, Job or DaemonSet), the
 * Service named after it, alias Services, and the ConfigMaps, Secrets and claims only it uses.
 * Built from L1 objects with explicit names: cdk8s-plus defaults (security contexts, requests,
 * probes, replicas, hashed names) would change how a Compose image runs.
 */
import { ApiObject } from 'cdk8s';
// The L1 classes alone: the package's index also loads every L2 construct, which nothing here uses.
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { base64Values, kubeObject, PlainApiObject } from './kube-object';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import type { Target } from '../translate/container';
import { USER_CREATED_ANNOTATION } from '../validate/references';
import type { KeyExplanation } from '../translate/account';
import type { ObjectRole } from '../translate/key-rules';
import type { HostMountMode } from '../translate/bind-mounts';
import type { ExtraServiceName } from '../translate/dns-names';
import { dropped, findingDiagnostic, isWarning, xk8sLoadFindings, type Finding } from '../translate/findings';
import type { KomposeOptions } from '../translate/kompose-labels';
import { komposeRuntimeNotes, statefulClaims } from '../translate/kompose-pod';
import { objectLabels, selectorLabels, suffixed } from '../translate/names';
import { joinsAnotherNamespace } from '../translate/networks';
import { podTemplate } from '../translate/pod-spec';
import { servicePorts, type PortSpec } from '../translate/ports';
import { planService, type ServicePlan } from '../translate/service-plan';
import type { ApiReads, Dependency } from '../translate/start-order';
import { claimSpec } from '../translate/claims';
import type { BindReport, ClaimRequest, FileObject, HostMount } from '../translate/volumes';
import type { WorkloadDecision, WorkloadKind } from '../translate/workload';
import { serviceAddressing } from '../translate/service-addressing';
import { utf8Text } from '../utf8';
import type { PortReference } from '../translate/referenced-ports';
import type { TraefikRouting } from '../expose/traefik-labels';
import { explainService } from './service-account';
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
  /** The object of a file several services mount, made once by the chart. */
  readonly sharedFile: (file: FileObject) => ApiObject;
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
  /** The routes of its Traefik labels (traefik-labels.ts; their findings come in chartFindings). */
  readonly traefik?: TraefikRouting;
  /** Ports only the stack's references name (`n8n:5679` in a worker's variable), forwarded too. */
  readonly referencedPorts?: readonly PortReference[];
}

const intOrString = (n: number) => k8s.IntOrString.fromNumber(n);

/** The ConfigMap or Secret of a bind-mounted file or directory. */
export function fileApiObject(scope: Construct, file: FileObject, labels: Record<string, string>): ApiObject {
  const metadata = { name: file.name, labels };
  return file.kind === 'Secret'
    ? kubeObject(k8s.KubeSecret, scope, `file-${file.name}`, { metadata, type: 'Opaque', ...data(file) })
    : kubeObject(k8s.KubeConfigMap, scope, `file-${file.name}`, { metadata, ...data(file) });
}

function data(object: FileObject): { data?: Record<string, string>; binaryData?: Record<string, string> } {
  // ConfigMap `data` must be UTF-8 text; anything else goes to `binaryData`. Secrets are always base64.
  const text: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [key, bytes] of Object.entries(object.data)) {
    const decoded = object.kind === 'ConfigMap' ? utf8Text(bytes) : undefined;
    if (decoded !== undefined) text[key] = decoded;
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
  /** The routes of its Traefik labels, which the exposure makes its Ingress of. */
  readonly traefik: TraefikRouting;
  /** The Service named after the Compose service: a ClusterIP, or headless (service-addressing.ts); none under `network_mode: service:`. */
  service?: ApiObject;
  readonly selector: Readonly<Record<string, string>>;
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
    const { project, service, kubernetesName: name, kompose } = props;
    this.serviceName = service.name;
    this.kubernetesName = name;
    this.workloadKind = props.workload.kind;
    this.kompose = kompose;
    this.traefik = props.traefik ?? { ports: [], findings: [], rows: [] };
    this.selector = selectorLabels(project.name, name);
    this.service_ = service;
    this.extraNames = props.extraNames;
    this.chartObjects = props.chartObjects;
    this.chartDiagnostics = props.chartDiagnostics ?? (() => []);
    const labels = objectLabels(project.name, name);
    const plan = planService({
      ...props,
      hostMounts: props.hostMounts,
      selector: this.selector,
      undeclaredPorts: [...this.traefik.ports, ...(props.referencedPorts ?? []).map((r) => r.port)],
    });
    const findings: Finding[] = [...props.workload.findings, ...props.chartFindings, ...plan.findings];

    const env = this.addEnvObjects(plan, name, labels);
    this.addFileObjects(plan, labels, props);
    const claimTemplates =
      props.workload.kind === 'StatefulSet' ? statefulClaims(plan.volumes, project, service, findings) : new Map();
    this.addClaims(plan, props, labels);
    const reader = this.addApiReader(name, labels, plan.start.reads, kompose.serviceAccountName);
    this.waitServiceAccount = reader.account;
    this.waitApiEgressPolicy = plan.apiEgress.policy
      ? new PlainApiObject(this, 'wait-api-egress', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: plan.apiEgress.policy.name, labels },
          spec: plan.apiEgress.policy.spec,
        })
      : undefined;
    this.waitObjects = [reader.account, reader.role, reader.binding, this.waitApiEgressPolicy].filter(
      (o): o is ApiObject => o !== undefined,
    );
    const template = podTemplate({ ...props, plan, selector: this.selector, serviceAccountName: reader.name, ...env });
    const autoscaler = kompose.hpa
      ? planAutoscaler(name, props.workload.kind, kompose.hpa, labels, service, plan.resources.resources)
      : undefined;
    findings.push(...(autoscaler?.findings ?? []));
    this.workload = createWorkload(this, {
      service,
      decision: props.workload,
      metadata: { name, labels, ...this.userCreatedAnnotation(plan, kompose) },
      selector: this.selector,
      template,
      deploy: plan.deploy,
      claimTemplates,
      defaultVolumeSize: props.defaultVolumeSize,
      storageClassName: props.storageClassName,
      autoscaled: autoscaler?.hpa !== undefined,
    });
    this.autoscaler = autoscaler?.hpa ? new PlainApiObject(this, 'hpa', autoscaler.hpa) : undefined;
    findings.push(...komposeRuntimeNotes(kompose, service, props.workload.kind));
    this.addServices(props, labels, plan.ports, findings);
    this.bindMounts = plan.volumes.binds;
    this.hostMounts = plan.volumes.hostMounts;
    this.diagnostics = findings.filter(isWarning).map((f) => findingDiagnostic(service, f));
    this.findings = [...findings, ...xk8sLoadFindings(project, service)];
  }

  private readonly findings: readonly Finding[];
  private readonly configMapObjects = new Map<string, ApiObject>();
  private readonly secretObjects = new Map<string, ApiObject>();
  private readonly claimObjects = new Map<string, ApiObject>();
  private readonly extraServiceObjects = new Map<string, ApiObject>();
  private readonly envObjects: ApiObject[] = [];
  /** `<service>-env-pre-start`: the secret-looking values `pre_start` entries add. */
  private preStartSecret?: ApiObject;
  private readonly fileObjects: ApiObject[] = [];
  private readonly waitObjects: readonly ApiObject[];
  private readonly extraNames: readonly ExtraServiceName[];
  private readonly chartObjects: ComposeServiceProps['chartObjects'];
  private readonly chartDiagnostics: NonNullable<ComposeServiceProps['chartDiagnostics']>;
  private readonly service_: ComposeService;
  private explained?: readonly KeyExplanation[];

  /** ConfigMaps only this service uses (`<name>-env`, bind-mounted config files), by Kubernetes name. */
  get configMaps(): ReadonlyMap<string, ApiObject> {
    return this.configMapObjects;
  }

  /** Secrets only this service uses (sensitive environment values, secret-looking files), by Kubernetes name. */
  get secrets(): ReadonlyMap<string, ApiObject> {
    return this.secretObjects;
  }

  /** Claims only this service uses (anonymous volumes, data directories on generic), by Kubernetes name. */
  get claims(): ReadonlyMap<string, ApiObject> {
    return this.claimObjects;
  }

  /** Services for `container_name` and network aliases, by name. */
  get extraServices(): ReadonlyMap<string, ApiObject> {
    return this.extraServiceObjects;
  }

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
        if (rowKey.startsWith('pre_start')) return defined(this.preStartSecret);
        return this.envObjects;
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
    this.explained ??= explainService({
      service: this.service_,
      workloadKind: this.workloadKind,
      findings: this.findings,
      chartDiagnostics: this.chartDiagnostics(this.service_),
      labelRows: this.traefik.rows,
      objectsFor: (role, rowKey) => this.objectsFor(role, rowKey),
    });
    return this.explained;
  }

  /** `<service>-env`: a Secret of the secret `environment` values (env files are the chart's, shared). */
  private addEnvObjects(plan: ServicePlan, name: string, labels: Record<string, string>) {
    const { secretData } = plan.env;
    const envSecret = Object.keys(secretData).length > 0 ? suffixed(name, 'env') : undefined;
    if (envSecret) {
      const object = kubeObject(k8s.KubeSecret, this, 'env-secret', {
        metadata: { name: envSecret, labels },
        type: 'Opaque',
        data: base64Values(secretData),
      });
      this.secretObjects.set(envSecret, object);
      this.envObjects.push(object);
    }
    const hookSecret = plan.env.preStartSecret;
    if (hookSecret) {
      const object = kubeObject(k8s.KubeSecret, this, 'env-pre-start-secret', {
        metadata: { name: hookSecret.name, labels },
        type: 'Opaque',
        data: base64Values(hookSecret.data),
      });
      this.secretObjects.set(hookSecret.name, object);
      this.preStartSecret = object;
    }
    return { envSecret };
  }

  /** Bind-mounted configuration files, as ConfigMaps (Secrets when they look secret); shared ones are the chart's. */
  private addFileObjects(plan: ServicePlan, labels: Record<string, string>, props: ComposeServiceProps): void {
    for (const file of plan.volumes.files) {
      if (file.shared) {
        this.fileObjects.push(props.sharedFile(file));
        continue;
      }
      const object = fileApiObject(this, file, labels);
      (file.kind === 'Secret' ? this.secretObjects : this.configMapObjects).set(file.name, object);
      this.fileObjects.push(object);
    }
  }

  /** Claims only this service uses; named volumes' claims are the chart's, made once for all their users. */
  private addClaims(plan: ServicePlan, props: ComposeServiceProps, labels: Record<string, string>): void {
    const isStatefulSet = props.workload.kind === 'StatefulSet';
    for (const claim of plan.volumes.claims) {
      if (claim.external === false && isStatefulSet) continue;
      if (claim.volume !== undefined) {
        props.useClaim(claim, props.service.name);
        continue;
      }
      const object = new PlainApiObject(this, `claim-${claim.claimName}`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim.claimName, labels },
        spec: claimSpec(claim, props.defaultVolumeSize, props.storageClassName),
      });
      this.claimObjects.set(claim.claimName, object);
    }
  }

  /** What the pod uses but the stack leaves to the user, so `validate` reminds instead of failing. */
  private userCreatedAnnotation(plan: ServicePlan, kompose: KomposeOptions): { annotations?: Record<string, string> } {
    const userCreated = [
      ...plan.volumes.userCreated,
      ...plan.env.outsideEnvFiles.filter((f) => !f.optional).map((f) => `Secret/${f.secretName}`),
      ...(kompose.serviceAccountName ? [`ServiceAccount/${kompose.serviceAccountName}`] : []),
    ];
    return userCreated.length > 0
      ? { annotations: { [USER_CREATED_ANNOTATION]: [...new Set(userCreated)].join(' ') } }
      : {};
  }

  /** The Service named after the service, and one per `container_name` and alias, when it has a network. */
  private addServices(
    props: ComposeServiceProps,
    labels: Record<string, string>,
    ports: readonly PortSpec[],
    findings: Finding[],
  ): void {
    const { kubernetesName: name, workload, kompose } = props;
    const networked = !joinsAnotherNamespace(props.service);
    const isStatefulSet = workload.kind === 'StatefulSet';
    // A StatefulSet's pods are named through its governing Service, which must be headless;
    // `endpoint_mode: dnsrr` asks that the name resolve to the pods, not to one virtual IP.
    const dnsrr = props.service.deploy.endpointMode === 'dnsrr';
    const hasService = workload.kind !== 'CronJob' && (networked || isStatefulSet);
    if (dnsrr && !hasService)
      findings.push(dropped('deploy.endpoint_mode', 'the service gets no Service, so no name resolves to its pods'));
    if (hasService) {
      const extraNames = networked ? props.extraNames.map((e) => e.name) : [];
      const { headless, findings: reach } = serviceAddressing({
        service: props.service,
        kompose,
        kind: workload.kind,
        ports,
        referenced: props.referencedPorts,
        names: [name, ...extraNames],
      });
      findings.push(...reach);
      this.service = this.createService(name, labels, ports, 'service', headless);
      for (const extra of extraNames) {
        this.extraServiceObjects.set(extra, this.createService(extra, labels, ports, `name-${extra}`, headless));
      }
    }
    for (const extra of props.extraNames.filter((e) => !this.extraServiceObjects.has(e.name))) {
      findings.push(
        dropped(
          extra.key,
          workload.kind === 'CronJob'
            ? 'a CronJob gets no Service, so nothing answers to this name'
            : 'the service has no network of its own (network_mode), so no Service answers to this name',
        ),
      );
    }
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
    ports: readonly PortSpec[],
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
