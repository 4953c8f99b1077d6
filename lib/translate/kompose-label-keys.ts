/**
 * What each kompose label writes, for its row in the account: kompose labels are instructions
 * to the converter (`kompose.service.type: nodeport`), each with the objects and fields it sets.
 */
import { container, on, pod, workload, type FieldRef } from './key-rules';
import type { WorkloadKind } from './workload';

const CRONJOB_FIELDS: Readonly<Record<string, string>> = {
  schedule: 'spec.schedule',
  concurrency_policy: 'spec.concurrencyPolicy',
};

const FIXED: Readonly<Record<string, readonly FieldRef[]>> = {
  'kompose.service.nodeport.port': [on('published', 'spec.ports[].nodePort')],
  'kompose.service.external-traffic-policy': [on('published', 'spec.externalTrafficPolicy')],
  'kompose.service.expose': [on('ingress', 'spec.rules')],
  'kompose.service.expose.tls-secret': [on('ingress', 'spec.tls')],
  'kompose.service.expose.ingress-class-name': [on('ingress', 'spec.ingressClassName')],
  'kompose.controller.type': [workload('kind'), on('service')],
  'kompose.controller.port.expose': [container('ports[].hostPort')],
  'kompose.image-pull-policy': [container('imagePullPolicy')],
  'kompose.image-pull-secret': [pod('imagePullSecrets')],
  'kompose.serviceaccount-name': [pod('serviceAccountName')],
  'kompose.security-context.fsgroup': [pod('securityContext.fsGroup')],
  'kompose.volume.type': [pod('volumes')],
  'kompose.volume.subpath': [container('volumeMounts[].subPath')],
};

export function komposeLabelWrites(label: string, value: string, kind: WorkloadKind): readonly FieldRef[] {
  if (label.startsWith('kompose.service.healthcheck.readiness.')) return [container('readinessProbe')];
  if (label.startsWith('kompose.service.healthcheck.liveness.'))
    return [container('livenessProbe'), container('startupProbe')];
  if (label.startsWith('kompose.cronjob.'))
    return [workload(CRONJOB_FIELDS[label.slice('kompose.cronjob.'.length)] ?? 'spec.jobTemplate.spec.backoffLimit')];
  if (label.startsWith('kompose.hpa.'))
    return [
      on(
        'autoscaler',
        label.includes('replicas') ? `spec.${label.endsWith('min') ? 'minReplicas' : 'maxReplicas'}` : 'spec.metrics',
      ),
    ];
  if (label.startsWith('kompose.init.containers.')) return [pod('initContainers')];
  if (label === 'kompose.service.type') {
    const type = value.trim().toLowerCase();
    if (type === 'headless') return [on('service', 'spec.clusterIP')];
    return type === 'nodeport' || type === 'loadbalancer'
      ? [on('published', 'spec.type')]
      : [on('service', 'spec.type')];
  }
  if (label === 'kompose.volume.size')
    return kind === 'StatefulSet'
      ? [workload('spec.volumeClaimTemplates[].spec.resources.requests.storage')]
      : [on('claims', 'spec.resources.requests.storage')];
  if (label === 'kompose.volume.storage-class-name')
    return kind === 'StatefulSet'
      ? [workload('spec.volumeClaimTemplates[].spec.storageClassName')]
      : [on('claims', 'spec.storageClassName')];
  return FIXED[label] ?? [];
}
