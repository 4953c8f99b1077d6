/**
 * ComposeChart: a whole Compose project as one cdk8s Chart. One ComposeServiceConstruct per
 * service, plus what services share: the claims of named volumes, the Secrets and ConfigMaps of
 * top-level `secrets` and `configs`, the NetworkPolicies of the Compose networks, and the
 * objects that make the stack reachable from outside (see exposure.ts).
 */
import { ApiObject, Chart, type ChartProps } from 'cdk8s';
// The L1 classes alone: the package's index also loads every L2 construct, which nothing here uses.
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { Construct } from 'constructs';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import type { HostMountMode } from '../translate/bind-mounts';
import type { ObjectRole } from '../translate/key-rules';
import { projectRule } from '../translate/registry';
import { untranslatedProjectKeys } from '../translate/untranslated';
import { planDnsNames } from '../translate/dns-names';
import { rewriteRenamedReferences } from '../translate/renamed-references';
import { referenceFindings, renamedExtraNames, withReferences } from '../translate/rename-report';
import { dnsLabel, dnsSubdomain, labelValue, LABELS, MANAGED_BY, objectLabels } from '../translate/names';
import { networkPolicies } from '../translate/networks';
import { claimProblem, claimSpec } from '../translate/claims';
import { fileKey, type ClaimRequest, type HostMount } from '../translate/volumes';
import type { FileObject } from '../translate/volume-plan';
import { addExposure, addNamespace, type StackExposure } from './exposure';
import { base64Values, kubeObject, PlainApiObject } from './kube-object';
import { lookup } from './lookup';
import { ComposeServiceConstruct, fileApiObject } from './service-construct';
import { explainProject } from './project-account';
import { findingDiagnostic } from '../translate/findings';
import { providerReason, withoutProviders, type ProviderService } from '../translate/providers';
import { envFileSource, envFileSourcesOf } from '../translate/env-file-sources';
import type { KeyExplanation } from '../translate/account';
import { withConfigDigests } from './config-digest';
import { utf8Text } from '../utf8';
import { decideServices, type ServiceDecision } from './service-decisions';

export type ComposeTarget = 'kind' | 'minikube' | 'generic';

/** An external volume's claim: its name, who mounts it, and the spec the stack would give it. */
export interface ExternalClaim {
  readonly claimName: string;
  readonly users: readonly string[];
  readonly spec: ReturnType<typeof claimSpec>;
}

/** A user-created object is not in the config digest (config-digest.ts): nothing rolls its readers. */
const RESTART_AFTER_CHANGE =
  'its content is not in the output, so changing it restarts no pod: kubectl rollout restart the services using it';

export interface ComposeChartProps extends ChartProps {
  readonly project: ComposeProject;
  /** Cluster the output is made for (default `kind`): decides pull policies and published-port Services. */
  readonly target?: ComposeTarget;
  /** Size of a claim when Compose does not say (`volumes.<name>.x-k8s.size`, `kompose.volume.size`). Default `1Gi`. */
  readonly defaultVolumeSize?: string;
  /** StorageClass of the claims; default: the cluster's default class. */
  readonly storageClassName?: string;
  /**
   * Bind mounts of code, data and host paths: `hostpath` mounts them from the node (default on
   * kind and minikube, whose node mounts them from this machine), `drop` leaves them out, with a
   * warning (default on generic; data directories then get a claim). Configuration files become
   * ConfigMaps either way.
   */
  readonly hostMounts?: HostMountMode;
}

interface NamedService {
  readonly service: ComposeService;
  readonly kubernetesName: string;
}

/** Kubernetes names for every service; a rename is a warning, two services on one name an error. */
export function kubernetesNames(project: ComposeProject): { names: NamedService[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, string>();
  const names: NamedService[] = [];
  for (const service of Object.values(project.services)) {
    const kubernetesName = dnsLabel(service.name);
    const location = service.location;
    if (kubernetesName !== service.name) {
      diagnostics.push({
        severity: 'warning',
        code: 'renamed-service',
        service: service.name,
        path: `services.${service.name}`,
        location,
        message: `service "${service.name}" is named "${kubernetesName}" in Kubernetes (names must be DNS labels): address it by that name`,
      });
    }
    const owner = owners.get(kubernetesName);
    if (owner !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'name-collision',
        service: service.name,
        path: `services.${service.name}`,
        location,
        message: `services "${owner}" and "${service.name}" would both be named "${kubernetesName}" in Kubernetes; rename one`,
      });
      continue;
    }
    owners.set(kubernetesName, service.name);
    names.push({ service, kubernetesName });
  }
  return { names, diagnostics };
}

function providerDiagnostic(service: ComposeService): Diagnostic {
  return findingDiagnostic(service, {
    key: 'provider',
    status: 'dropped',
    message: `${service.name} is a provider service: ${providerReason(service)}`,
  });
}

export class ComposeChart extends Chart {
  readonly project: ComposeProject;
  readonly target: ComposeTarget;
  readonly diagnostics: readonly Diagnostic[];
  readonly services: ReadonlyMap<string, ComposeServiceConstruct>;
  /** `provider` services: left out (the cluster runs no provider plugin), every key of theirs reported. */
  readonly providers: readonly ProviderService[];
  /** What the stack publishes and routes from outside: NodePorts, Ingress routes. */
  readonly exposure: StackExposure;
  /** How bind mounts of code, data and host paths were handled. */
  readonly hostMountMode: HostMountMode;
  /** The Namespace object, when the chart has a namespace. */
  readonly namespaceObject?: ApiObject;
  private readonly claimObjects = new Map<string, ApiObject>();
  private readonly externalClaimSpecs = new Map<string, ExternalClaim>();
  private readonly secretObjects = new Map<string, ApiObject>();
  private readonly configMapObjects = new Map<string, ApiObject>();
  private readonly policyObjects = new Map<string, ApiObject>();
  private readonly policiesByNetwork = new Map<string, string[]>();
  /** The ConfigMap and Secret of each env file, by the file's object name (env-file-sources.ts). */
  private readonly envFileObjects = new Map<string, ApiObject[]>();
  /** ConfigMaps and Secrets of bind-mounted files several services use, by object name. */
  private readonly sharedFileObjects = new Map<string, ApiObject>();
  private explainedProject?: readonly KeyExplanation[];

  constructor(scope: Construct, id: string, props: ComposeChartProps) {
    // Every object of the stack carries these, so `kubectl delete -l app.kubernetes.io/part-of=<project>` removes all of it.
    super(scope, id, {
      ...props,
      labels: {
        [LABELS.partOf]: labelValue(props.project.name) ?? dnsLabel(props.project.name),
        [LABELS.managedBy]: MANAGED_BY,
        ...props.labels,
      },
    });
    const split = withoutProviders(props.project);
    const named = kubernetesNames(split.project);
    const dnsNames = planDnsNames(split.project, new Map(named.names.map((n) => [n.service.name, n.kubernetesName])));
    // The stack's own uses of renamed names as hosts say the new names from here on.
    const renamed = rewriteRenamedReferences(split.project, [
      ...named.names.map((n) => ({ from: n.service.name, to: n.kubernetesName })),
      ...dnsNames.renamed,
    ]);
    const project = renamed.project;
    const names = named.names.map((n) => ({ ...n, service: project.services[n.service.name] }));
    const diagnostics = named.diagnostics.map((d) => withReferences(d, split.project, renamed));
    const referenceNotes = referenceFindings(renamed.sites);
    this.project = project;
    this.providers = split.providers;
    this.target = props.target ?? 'kind';
    this.hostMountMode = props.hostMounts ?? (this.target === 'generic' ? 'drop' : 'hostpath');
    // First, so `kubectl apply -f` creates the Namespace before what goes in it.
    if (this.namespace) this.namespaceObject = addNamespace(this, this.namespace);
    const defaultVolumeSize = props.defaultVolumeSize ?? '1Gi';
    diagnostics.push(...split.providers.map((p) => providerDiagnostic(props.project.services[p.service])));

    const decided = decideServices(project, names);
    const decisionOf = (name: string) => decided.get(name) as ServiceDecision;

    const policies = networkPolicies(project);
    const policiesByNetwork = this.policiesByNetwork;
    for (const p of policies) policiesByNetwork.set(p.network, [...(policiesByNetwork.get(p.network) ?? []), p.name]);

    const claims = new Map<string, { claim: ClaimRequest; users: string[] }>();
    const services = new Map<string, ComposeServiceConstruct>();
    for (const { service, kubernetesName } of names) {
      const decision = decisionOf(service.name);
      const construct = new ComposeServiceConstruct(this, service.name, {
        project,
        service,
        kubernetesName,
        target: this.target,
        workload: decision.workload,
        dependencyOf: (name) => decided.get(name)?.dependency,
        useClaim: (claim, user) => {
          const entry = claims.get(claim.claimName);
          if (entry) {
            if (!entry.users.includes(user)) entry.users.push(user);
          } else claims.set(claim.claimName, { claim, users: [user] });
        },
        chartObjects: (role, s) => this.objectsOf(role, s),
        sharedFile: (file) => this.sharedFileObject(file),
        chartDiagnostics: (s) => this.exposure.diagnostics.filter((d) => d.service === s.name),
        defaultVolumeSize,
        storageClassName: props.storageClassName,
        hostMounts: this.hostMountMode,
        extraNames: dnsNames.extraNames.get(service.name) ?? [],
        chartFindings: [
          ...(dnsNames.findings.get(service.name) ?? []),
          ...renamedExtraNames(dnsNames, service.name, renamed),
          ...(referenceNotes.get(service.name) ?? []),
          ...decision.kompose.findings,
          ...decision.traefik.findings,
          ...(split.findings.get(service.name) ?? []),
        ],
        kompose: decision.kompose.options,
        traefik: decision.traefik,
        referencedPorts: decision.referencedPorts,
      });
      services.set(service.name, construct);
      diagnostics.push(...construct.diagnostics);
    }
    this.services = services;

    diagnostics.push(...this.addClaims(claims, defaultVolumeSize, props.storageClassName));
    diagnostics.push(...this.addSecretsAndConfigs());
    this.addEnvFileObjects();
    diagnostics.push(...untranslatedProjectKeys(project, projectRule));
    for (const policy of policies) {
      const object = new PlainApiObject(this, `network-${policy.network}-${policy.name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: policy.name, labels: objectLabels(project.name) },
        spec: policy.spec,
      });
      this.policyObjects.set(policy.name, object);
    }
    this.exposure = addExposure(this);
    diagnostics.push(...this.exposure.diagnostics);
    this.diagnostics = diagnostics;
  }

  /**
   * The chart's objects, each long-running pod template annotated with the digest of the
   * ConfigMaps and Secrets it reads (config-digest.ts): re-applied after a change, exactly the
   * workloads whose inputs changed roll.
   */
  override toJson(): unknown[] {
    return withConfigDigests(super.toJson());
  }

  /** What the chart made for a service that the service's own construct does not hold. */
  private objectsOf(role: ObjectRole, s: ComposeService): ApiObject[] {
    const defined = (objects: (ApiObject | undefined)[]) => objects.filter((o): o is ApiObject => o !== undefined);
    switch (role) {
      case 'published':
        return defined([this.exposure.publishedServices.get(s.name)]);
      case 'ingress':
        return defined([this.exposure.ingressObjects.get(s.name)]);
      case 'claims':
        return defined(
          s.volumes.map((v) => (v.type === 'volume' && v.source ? this.claimObjects.get(v.source) : undefined)),
        );
      case 'mounted':
        return defined([
          ...s.secrets.map((r) => this.secretObjects.get(r.source)),
          ...s.configs.map((r) => this.configMapObjects.get(r.source)),
        ]);
      case 'policies':
        return s.networkMode ? [] : Object.keys(s.networks).flatMap((n) => this.elementObjects('networks', n));
      case 'envFiles':
        return s.envFiles.flatMap((f) => {
          const source = envFileSource(this.project, f);
          return source ? (this.envFileObjects.get(source.name) ?? []) : [];
        });
      default:
        return [];
    }
  }

  /** A bind-mounted file several services use: one object, made by the first of them. */
  private sharedFileObject(file: FileObject): ApiObject {
    let object = this.sharedFileObjects.get(file.name);
    if (!object) {
      object = fileApiObject(this, file, objectLabels(this.project.name));
      this.sharedFileObjects.set(file.name, object);
    }
    return object;
  }

  /** One ConfigMap (plain values) and one Secret (secret ones) per env file, whatever the number of services using it. */
  private addEnvFileObjects(): void {
    const labels = objectLabels(this.project.name);
    for (const source of envFileSourcesOf(this.project).values()) {
      const objects: ApiObject[] = [];
      if (Object.keys(source.configData).length > 0)
        objects.push(
          kubeObject(k8s.KubeConfigMap, this, `env-file-${source.name}`, {
            metadata: { name: source.name, labels },
            data: { ...source.configData },
          }),
        );
      if (Object.keys(source.secretData).length > 0)
        objects.push(
          kubeObject(k8s.KubeSecret, this, `env-file-secret-${source.name}`, {
            metadata: { name: source.name, labels },
            type: 'Opaque',
            data: base64Values(source.secretData),
          }),
        );
      this.envFileObjects.set(source.name, objects);
    }
  }

  /** The services made StatefulSets (the services are fixed once the chart is built): asked once per volume. */
  private statefulSets(): readonly ComposeServiceConstruct[] {
    this.statefulSetServices ??= [...this.services.values()].filter((c) => c.workloadKind === 'StatefulSet');
    return this.statefulSetServices;
  }
  private statefulSetServices?: ComposeServiceConstruct[];

  /** What a top-level element became: a volume's claim, a secret's Secret, a config's ConfigMap, a network's policies. */
  elementObjects(kind: string, name: string): ApiObject[] {
    const defined = (objects: (ApiObject | undefined)[]) => objects.filter((o): o is ApiObject => o !== undefined);
    switch (kind) {
      case 'volumes':
        // A StatefulSet holds its claims as volumeClaimTemplates, one per pod.
        return defined([
          this.claimObjects.get(name),
          ...this.statefulSets()
            .filter((c) =>
              this.project.services[c.serviceName].volumes.some((v) => v.type === 'volume' && v.source === name),
            )
            .map((c) => c.workload),
        ]);
      case 'secrets':
        return defined([this.secretObjects.get(name)]);
      case 'configs':
        return defined([this.configMapObjects.get(name)]);
      case 'networks':
        return defined((this.policiesByNetwork.get(name) ?? []).map((p) => this.policyObjects.get(p)));
      default:
        return [];
    }
  }

  /**
   * Every top-level key the files set (`networks.back.ipam`, `volumes.data.driver`), with what it
   * became or why not. Read off the synthesized objects, so computed on first use.
   */
  get projectExplanations(): readonly KeyExplanation[] {
    this.explainedProject ??= explainProject(this);
    return this.explainedProject;
  }

  /** The constructs of a Compose service (workload, Service, its own ConfigMaps, Secrets, claims). */
  service(name: string): ComposeServiceConstruct {
    return lookup(this.services, name, 'service', this.where);
  }

  /** PersistentVolumeClaims of the top-level named volumes, by Compose volume name. */
  get claims(): ReadonlyMap<string, ApiObject> {
    return this.claimObjects;
  }

  /**
   * The claims of external volumes, by Compose volume name: not in the stack (the user makes
   * them), but described as the stack would make them, for the example manifests beside it.
   */
  get externalClaims(): ReadonlyMap<string, ExternalClaim> {
    return this.externalClaimSpecs;
  }

  /** The PersistentVolumeClaim of a top-level named volume (not of an external one: that is only referenced). */
  claim(volume: string): ApiObject {
    return lookup(this.claimObjects, volume, 'volume claim', this.where);
  }

  /** Secrets of the top-level `secrets` the services use, by Compose name. */
  get secrets(): ReadonlyMap<string, ApiObject> {
    return this.secretObjects;
  }

  secret(name: string): ApiObject {
    return lookup(this.secretObjects, name, 'secret', this.where);
  }

  /** ConfigMaps of the top-level `configs` the services use, by Compose name. */
  get configMaps(): ReadonlyMap<string, ApiObject> {
    return this.configMapObjects;
  }

  configMap(name: string): ApiObject {
    return lookup(this.configMapObjects, name, 'config', this.where);
  }

  /** The ConfigMap and Secret (each when it has values) of every env file, by object name (`conf/api.env` -> `conf-api.env`, `.env` -> `<project>.env`). */
  get envFiles(): ReadonlyMap<string, readonly ApiObject[]> {
    return this.envFileObjects;
  }

  /** NetworkPolicies of the Compose networks, by Kubernetes name (`<network>-network`, `<network>-network-egress`). */
  get networkPolicies(): ReadonlyMap<string, ApiObject> {
    return this.policyObjects;
  }

  networkPolicy(name: string): ApiObject {
    return lookup(this.policyObjects, name, 'NetworkPolicy', this.where);
  }

  /** The `<service>-published` Service (NodePort on kind and minikube, LoadBalancer on generic). */
  publishedService(service: string): ApiObject {
    return lookup(this.exposure.publishedServices, service, 'service with published ports', this.where);
  }

  /** The Ingress of a service routed by `x-k8s.ingress` or `kompose.service.expose`. */
  ingress(service: string): ApiObject {
    return lookup(this.exposure.ingressObjects, service, 'service with an Ingress', this.where);
  }

  /** The `<service>-from-outside` NetworkPolicy that lets published and routed traffic in. */
  outsideAccessPolicy(service: string): ApiObject {
    return lookup(this.exposure.outsideAccessPolicies, service, 'service reachable from outside', this.where);
  }

  private get where(): string {
    return `Compose project ${this.project.name}`;
  }

  /** The host directories the node must provide (kind extraMounts, `minikube mount`), each once. */
  get hostMounts(): HostMount[] {
    const byNodePath = new Map<string, HostMount>();
    for (const s of this.services.values()) for (const m of s.hostMounts) byNodePath.set(m.nodePath, m);
    return [...byNodePath.values()].sort((a, b) => a.nodePath.localeCompare(b.nodePath));
  }

  private addClaims(
    claims: Map<string, { claim: ClaimRequest; users: string[] }>,
    defaultSize: string,
    storageClassName?: string,
  ): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const [claimName, { claim, users }] of [...claims.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const volume = claim.volume ?? claimName;
      const location = this.project.volumes[volume]?.location;
      if (claim.external) {
        diagnostics.push({
          severity: 'warning',
          code: 'external-volume',
          path: `volumes.${volume}`,
          location,
          message: `external volume: create the PersistentVolumeClaim "${claimName}" before applying`,
        });
        this.externalClaimSpecs.set(volume, {
          claimName,
          users,
          spec: claimSpec(claim, defaultSize, storageClassName),
        });
        continue;
      }
      const modes = claim.accessModes ?? ['ReadWriteOnce'];
      if (users.length > 1 && modes.includes('ReadWriteOnce')) {
        diagnostics.push({
          severity: 'warning',
          code: 'shared-volume',
          path: `volumes.${volume}`,
          location,
          message: `volume shared by ${users.join(', ')}: a ReadWriteOnce claim needs their pods on one node (true on kind and minikube); on a multi-node cluster set x-k8s.accessModes [ReadWriteMany] with a class that supports it`,
        });
      }
      const problem = claimProblem(claim);
      if (problem) {
        const [topKey, name] = (claim.setIn ?? '').split('.');
        diagnostics.push({
          severity: 'error',
          code: 'invalid-volume-option',
          path: claim.setIn,
          location: topKey === 'services' ? this.project.services[name]?.location : location,
          message: problem,
        });
        continue;
      }
      const object = new PlainApiObject(this, `volume-${claimName}`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claimName, labels: objectLabels(this.project.name) },
        spec: claimSpec(claim, defaultSize, storageClassName),
      });
      this.claimObjects.set(volume, object);
    }
    return diagnostics;
  }

  /** Secret/ConfigMap per top-level secret/config that a service uses; external ones are only referenced. */
  private addSecretsAndConfigs(): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const used = { secrets: new Set<string>(), configs: new Set<string>() };
    for (const s of Object.values(this.project.services)) {
      s.secrets.forEach((r) => used.secrets.add(r.source));
      s.configs.forEach((r) => used.configs.add(r.source));
    }
    for (const kind of ['secrets', 'configs'] as const) {
      for (const key of [...used[kind]].sort()) {
        const def = kind === 'secrets' ? this.project.secrets[key] : this.project.configs[key];
        if (!def) continue;
        const name = dnsSubdomain(def.external ? def.name : key);
        if (def.external || def.content === undefined) {
          diagnostics.push({
            severity: 'warning',
            code: 'external-object',
            path: `${kind}.${key}`,
            location: def.location,
            message: `${def.outsideFile ? `${def.outsideFile} is outside the project and is not read: ` : ''}${
              kind === 'secrets'
                ? `create the Secret before applying: kubectl create secret generic ${name}`
                : `create the ConfigMap before applying: kubectl create configmap ${name}`
            } --from-file=${fileKey(key)}=${def.outsideFile ?? '<file>'}; ${RESTART_AFTER_CHANGE}`,
          });
          continue;
        }
        const metadata = { name, labels: objectLabels(this.project.name) };
        const bytes = def.content;
        if (kind === 'secrets') {
          const secret = kubeObject(k8s.KubeSecret, this, `secret-${key}`, {
            metadata,
            type: 'Opaque',
            data: { [fileKey(key)]: bytes.toString('base64') },
          });
          this.secretObjects.set(key, secret);
        } else {
          const text = utf8Text(bytes);
          const config = kubeObject(k8s.KubeConfigMap, this, `config-${key}`, {
            metadata,
            ...(text !== undefined
              ? { data: { [fileKey(key)]: text } }
              : { binaryData: { [fileKey(key)]: bytes.toString('base64') } }),
          });
          this.configMapObjects.set(key, config);
        }
      }
    }
    return diagnostics;
  }
}
