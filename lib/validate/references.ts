/**
 * References between objects of one set: ConfigMaps, Secrets and claims a pod uses, Ingress
 * backends, service accounts, role bindings, and Services that select no pod. An object the set
 * does not contain will not exist after `kubectl apply` either, unless created by hand.
 */
import { podTemplateOf, podTemplatePath } from '../pod-template';
import { list, record, text, type Json, type ManifestProblem } from './problems';

type Problem = Omit<ManifestProblem, 'file'> & { readonly index: number };

interface PodRef {
  readonly index: number;
  readonly kind: string;
  readonly name?: string;
  readonly path: string;
  readonly namespace: string;
  readonly labels: Json;
  readonly spec: Json;
  /** `Secret/aws`: objects the workload says the user creates before applying (not in the set). */
  readonly userCreated: ReadonlySet<string>;
}

/**
 * The annotation a converted workload carries for objects it uses that the stack does not
 * contain on purpose (a Compose `external` secret, a file outside the project): the user creates
 * them, so their absence is a reminder, not a broken stack.
 */
export const USER_CREATED_ANNOTATION = 'compose-cdk8s.io/user-created';

function podsOf(objects: readonly unknown[]): PodRef[] {
  const pods: PodRef[] = [];
  objects.forEach((object, index) => {
    const o = record(object);
    const kind = text(o.kind) ?? '';
    const namespace = text(record(o.metadata).namespace) ?? '';
    const name = text(record(o.metadata).name);
    const path = podTemplatePath(kind);
    // A Pod is its own template; a workload without one is read as an empty template.
    const template = kind === 'Pod' ? o : path ? record(podTemplateOf(o)) : undefined;
    if (template) {
      pods.push({
        index,
        kind,
        name,
        path: path ?? '',
        namespace,
        labels: record(record(template.metadata).labels),
        spec: record(template.spec),
        userCreated: new Set(
          (text(record(record(o.metadata).annotations)[USER_CREATED_ANNOTATION]) ?? '').split(/[\s,]+/).filter(Boolean),
        ),
      });
    }
  });
  return pods;
}

export function checkReferences(objects: readonly unknown[]): Problem[] {
  const names = new Map<string, Set<string>>();
  const services = new Map<string, Json>();
  objects.forEach((object) => {
    const o = record(object);
    const kind = text(o.kind) ?? '';
    const ns = text(record(o.metadata).namespace) ?? '';
    const name = text(record(o.metadata).name) ?? '';
    const key = `${kind}/${ns}`;
    if (!names.has(key)) names.set(key, new Set());
    names.get(key)?.add(name);
    if (kind === 'Service') services.set(`${ns}/${name}`, record(o.spec));
  });
  const has = (kind: string, ns: string, name: string) => names.get(`${kind}/${ns}`)?.has(name) ?? false;
  const problems: Problem[] = [];
  const pods = podsOf(objects);

  for (const pod of pods) {
    const at = (p: string) => (pod.path ? `${pod.path}.${p}` : p);
    const emit = (p: string, message: string, severity: 'error' | 'warning' = 'error') =>
      problems.push({ severity, kind: pod.kind, name: pod.name, path: at(p), message, index: pod.index });
    const missing = (p: string, kind: string, name: string) =>
      pod.userCreated.has(`${kind}/${name}`)
        ? emit(
            p,
            `${kind} "${name}" is not in the set: create it before applying (the convert warnings say how)`,
            'warning',
          )
        : emit(p, `${kind} "${name}" is not in the set`);
    list(pod.spec.volumes)
      .map(record)
      .forEach((v, i) => {
        const cm = record(v.configMap);
        const secret = record(v.secret);
        const claim = record(v.persistentVolumeClaim);
        if (text(cm.name) && cm.optional !== true && !has('ConfigMap', pod.namespace, String(cm.name)))
          missing(`spec.volumes[${i}].configMap.name`, 'ConfigMap', String(cm.name));
        if (
          text(secret.secretName) &&
          secret.optional !== true &&
          !has('Secret', pod.namespace, String(secret.secretName))
        )
          missing(`spec.volumes[${i}].secret.secretName`, 'Secret', String(secret.secretName));
        if (text(claim.claimName) && !has('PersistentVolumeClaim', pod.namespace, String(claim.claimName)))
          missing(
            `spec.volumes[${i}].persistentVolumeClaim.claimName`,
            'PersistentVolumeClaim',
            String(claim.claimName),
          );
      });
    for (const field of ['initContainers', 'containers']) {
      list(pod.spec[field])
        .map(record)
        .forEach((c, i) => {
          list(c.envFrom)
            .map(record)
            .forEach((e, j) => {
              const cm = record(e.configMapRef);
              const s = record(e.secretRef);
              if (text(cm.name) && cm.optional !== true && !has('ConfigMap', pod.namespace, String(cm.name)))
                missing(`spec.${field}[${i}].envFrom[${j}].configMapRef.name`, 'ConfigMap', String(cm.name));
              if (text(s.name) && s.optional !== true && !has('Secret', pod.namespace, String(s.name)))
                missing(`spec.${field}[${i}].envFrom[${j}].secretRef.name`, 'Secret', String(s.name));
            });
          list(c.env)
            .map(record)
            .forEach((e, j) => {
              const from = record(e.valueFrom);
              const cm = record(from.configMapKeyRef);
              const s = record(from.secretKeyRef);
              if (text(cm.name) && cm.optional !== true && !has('ConfigMap', pod.namespace, String(cm.name)))
                missing(`spec.${field}[${i}].env[${j}].valueFrom.configMapKeyRef.name`, 'ConfigMap', String(cm.name));
              if (text(s.name) && s.optional !== true && !has('Secret', pod.namespace, String(s.name)))
                missing(`spec.${field}[${i}].env[${j}].valueFrom.secretKeyRef.name`, 'Secret', String(s.name));
            });
        });
    }
    const sa = text(pod.spec.serviceAccountName);
    if (sa && sa !== 'default' && !has('ServiceAccount', pod.namespace, sa))
      missing('spec.serviceAccountName', 'ServiceAccount', String(sa));
  }

  // A StatefulSet names its pods through its governing Service, which must exist and be headless.
  for (const pod of pods.filter((p) => p.kind === 'StatefulSet')) {
    const serviceName = text(record(record(objects[pod.index]).spec).serviceName);
    if (!serviceName) continue;
    const governing = services.get(`${pod.namespace}/${serviceName}`);
    const emit = (message: string) =>
      problems.push({
        severity: 'error',
        kind: pod.kind,
        name: pod.name,
        path: 'spec.serviceName',
        message,
        index: pod.index,
      });
    if (!governing) emit(`Service "${serviceName}" is not in the set`);
    else if (governing.clusterIP !== 'None')
      emit(`Service "${serviceName}" must be headless (clusterIP: None) to govern a StatefulSet`);
  }

  objects.forEach((object, index) => {
    const o = record(object);
    const kind = text(o.kind) ?? '';
    const ns = text(record(o.metadata).namespace) ?? '';
    const name = text(record(o.metadata).name);
    const emit = (p: string, message: string, severity: 'error' | 'warning' = 'error') =>
      problems.push({ severity, kind, name, path: p, message, index });
    if (kind === 'Ingress') {
      const spec = record(o.spec);
      const backends: { path: string; backend: Json }[] = [];
      if (spec.defaultBackend) backends.push({ path: 'spec.defaultBackend', backend: record(spec.defaultBackend) });
      list(spec.rules)
        .map(record)
        .forEach((r, i) =>
          list(record(r.http).paths)
            .map(record)
            .forEach((p, j) =>
              backends.push({ path: `spec.rules[${i}].http.paths[${j}].backend`, backend: record(p.backend) }),
            ),
        );
      for (const b of backends) {
        const svc = record(b.backend.service);
        const svcName = text(svc.name);
        if (!svcName) continue;
        const target = services.get(`${ns}/${svcName}`);
        if (!target) {
          emit(`${b.path}.service.name`, `Service "${svcName}" is not in the set`);
          continue;
        }
        const port = record(svc.port);
        const ports = list(target.ports).map(record);
        const ok =
          port.number !== undefined
            ? ports.some((p) => p.port === port.number)
            : ports.some((p) => p.name === port.name);
        if (!ok) emit(`${b.path}.service.port`, `Service "${svcName}" has no port ${String(port.number ?? port.name)}`);
      }
    }
    if (kind === 'RoleBinding') {
      const ref = record(o.roleRef);
      if (text(ref.kind) === 'Role' && !has('Role', ns, text(ref.name) ?? ''))
        emit('roleRef.name', `Role "${String(ref.name)}" is not in the set`);
    }
    if (kind === 'Service') {
      const selector = record(record(o.spec).selector);
      const entries = Object.entries(selector);
      if (entries.length > 0 && !pods.some((p) => p.namespace === ns && entries.every(([k, v]) => p.labels[k] === v))) {
        emit('spec.selector', 'selects no pod template in the set', 'warning');
      }
    }
  });
  return problems;
}
