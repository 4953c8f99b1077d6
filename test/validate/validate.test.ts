/**
 * `compose-cdk8s validate` finds each problem an API server would reject, on hand-made bad
 * manifests, and finds nothing in a carefully written good set.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, readManifestFiles, validateManifests, validateSchema } from '../../lib/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'manifests');

function lines(file: string, checkReferences = true): string[] {
  const read = readManifestFiles([path.join(FIXTURES, file)]);
  return [...read.problems, ...validateManifests(read.inputs, { checkReferences })].map((p) =>
    formatProblem({ ...p, file: p.file && path.relative(FIXTURES, p.file) }),
  );
}

test('a careful stack passes with zero problems', () => {
  expect(lines('good')).toEqual([]);
});

test.each([
  [
    'statefulset-governing-service',
    [
      'bad/statefulset-governing-service.yaml: StatefulSet/db: spec.template.spec.containers[0].volumeMounts[1].name: mounts volume "logs", which the pod does not declare',
      'bad/statefulset-governing-service.yaml: StatefulSet/db: spec.serviceName: Service "db" must be headless (clusterIP: None) to govern a StatefulSet',
      'bad/statefulset-governing-service.yaml: StatefulSet/cache: spec.serviceName: Service "cache" is not in the set',
    ],
  ],
  [
    'unknown-field',
    [
      'bad/unknown-field.yaml: Deployment/web: spec.template.spec.containers[0].imagePulPolicy: unknown field "imagePulPolicy"',
    ],
  ],
  [
    'missing-required',
    ['bad/missing-required.yaml: Deployment/web: spec.template.spec: missing required field "containers"'],
  ],
  [
    'bad-quantity',
    [
      'bad/bad-quantity.yaml: Pod/web: spec.containers[0].resources.limits.cpu: "half" is not a valid quantity (e.g. 500m, 1Gi)',
    ],
  ],
  ['unknown-kind', ['bad/unknown-kind.yaml: Widget/w: kind: unknown kind Widget in example.com/v1 (Kubernetes 1.27)']],
  [
    'bad-name',
    [
      'bad/bad-name.yaml: Service/My_Service: metadata.name: "My_Service" must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)',
    ],
  ],
  [
    'bad-port-name',
    [
      'bad/bad-port-name.yaml: Pod/web: spec.containers[0].ports[0].name: "http_port" must be an IANA service name (at most 15 lowercase letters, digits and "-", with a letter)',
    ],
  ],
  [
    'selector-mismatch',
    [
      'bad/selector-mismatch.yaml: Deployment/web: spec.template.metadata.labels: the selector does not match the template labels',
    ],
  ],
  [
    'missing-volume',
    [
      'bad/missing-volume.yaml: Deployment/web: spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "data", which the pod does not declare',
    ],
  ],
  [
    'job-restart-always',
    [
      "bad/job-restart-always.yaml: Job/once: spec.template.spec.restartPolicy: a Job's pods must have restartPolicy OnFailure or Never",
    ],
  ],
  [
    'nodeport-range',
    ['bad/nodeport-range.yaml: Service/web: spec.ports[0].nodePort: 8080 is outside the NodePort range 30000-32767'],
  ],
  [
    'duplicate-object',
    [
      'bad/duplicate-object.yaml: ConfigMap/settings: metadata.name: duplicate object: another ConfigMap is named "settings"',
    ],
  ],
  [
    'bad-label',
    [
      'bad/bad-label.yaml: ConfigMap/settings: metadata.labels.app.kubernetes.io/description: "a value with spaces" is not a valid label value (at most 63 characters: letters, digits, "-", "_", ".")',
    ],
  ],
  [
    'missing-configmap',
    [
      'bad/missing-configmap.yaml: Deployment/web: spec.template.spec.containers[0].envFrom[0].configMapRef.name: ConfigMap "web-config" is not in the set',
    ],
  ],
  [
    'user-created',
    [
      'bad/user-created.yaml: Deployment/web: spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret "aws" is not in the set: create it before applying (the convert warnings say how)',
      'bad/user-created.yaml: Deployment/web: spec.template.spec.containers[0].envFrom[1].configMapRef.name: ConfigMap "web-config" is not in the set',
      'bad/user-created.yaml: Deployment/web: spec.template.spec.serviceAccountName: ServiceAccount "robot" is not in the set: create it before applying (the convert warnings say how)',
    ],
  ],
  [
    'bad-ingress-backend',
    [
      'bad/bad-ingress-backend.yaml: Ingress/web: spec.rules[0].http.paths[0].backend.service.port: Service "web" has no port 8080',
      'bad/bad-ingress-backend.yaml: Ingress/web: spec.rules[0].http.paths[1].backend.service.name: Service "api" is not in the set',
    ],
  ],
  [
    'scheduling',
    [
      'bad/scheduling.yaml: Deployment/web: spec.strategy.rollingUpdate: may not be set when type is Recreate',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.containers[0].resources.limits.nvidia.com/gpu: 1.5 must be a whole number of nvidia.com/gpu',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.nodeSelector: "us east" is not a valid label value',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: must be non-empty for NotIn',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: must be empty for Exists',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].operator: must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.topologySpreadConstraints[0].minDomains: only allowed with whenUnsatisfiable DoNotSchedule',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.topologySpreadConstraints[1].maxSkew: must be greater than zero',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.topologySpreadConstraints[1]: duplicate topologyKey and whenUnsatisfiable pair (zone, ScheduleAnyway)',
      'bad/scheduling.yaml: Deployment/web: spec.template.spec.tolerations[0].value: must be empty when operator is Exists',
      'bad/scheduling.yaml: DaemonSet/agent: spec.updateStrategy.rollingUpdate: maxSurge and maxUnavailable may not both be 0',
    ],
  ],
  [
    'syntax-error',
    [
      'bad/syntax-error.yaml: 4:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ],
  ],
])('%s is reported', (name, expected) => {
  expect(lines(`bad/${name}.yaml`)).toEqual(expected);
});

test('reference checks can be turned off (--no-references)', () => {
  expect(lines('bad/missing-configmap.yaml', false)).toEqual([]);
});

test('a missing path is a problem, not a crash', () => {
  expect(readManifestFiles([path.join(FIXTURES, 'nope.yaml')]).problems.map((p) => p.message)).toEqual([
    'cannot read: no such file or directory',
  ]);
});

test('a Helm chart is one problem, its files unread; its crds/ are manifests', () => {
  const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-'));
  fs.mkdirSync(path.join(chart, 'templates'));
  fs.mkdirSync(path.join(chart, 'crds'));
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(chart, 'templates', 'cm.yaml'), 'kind: ConfigMap\nmetadata:\n  {{- include "x" . }}\n');
  fs.writeFileSync(path.join(chart, 'crds', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n');
  for (const given of [chart, path.join(chart, 'templates', 'cm.yaml')]) {
    const read = readManifestFiles([given]);
    expect(read.charts).toEqual([chart]);
    expect(read.inputs).toEqual([]);
    expect(read.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      `${chart}: a Helm chart (Chart.yaml): its templates are manifests only once rendered: validate the output of helm template`,
    ]);
  }
  const crds = readManifestFiles([path.join(chart, 'crds')]);
  expect(crds).toMatchObject({ charts: [], problems: [] });
  expect(crds.inputs).toHaveLength(1);
});

describe('schema details', () => {
  const deployment = (container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'web', image: 'x', ...container }] } },
    },
  });

  test('int-or-string fields accept both', () => {
    const svc = (targetPort: unknown) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort }] },
    });
    expect(validateSchema(svc('http'))).toEqual([]);
    expect(validateSchema(svc(8080))).toEqual([]);
    expect(validateSchema(svc(true)).map((p) => p.path)).toEqual(['spec.ports[0].targetPort']);
  });

  test('quantities accept Kubernetes notation only', () => {
    expect(validateSchema(deployment({ resources: { limits: { cpu: '500m', memory: '1Gi' } } }))).toEqual([]);
    expect(validateSchema(deployment({ resources: { limits: { cpu: 0.5 } } }))).toEqual([]);
    expect(validateSchema(deployment({ resources: { limits: { memory: '1 GB' } } })).map((p) => p.message)).toEqual([
      '"1 GB" is not a valid quantity (e.g. 500m, 1Gi)',
    ]);
  });

  test('enums are checked', () => {
    const problems = validateManifests([{ object: deployment({ imagePullPolicy: 'Sometimes' }) }]);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: must be one of Always, IfNotPresent, Never',
    ]);
  });
});

test('an object the stack leaves to the user (compose-cdk8s.io/user-created) is missing as a warning, not an error', () => {
  const read = readManifestFiles([path.join(FIXTURES, 'bad', 'user-created.yaml')]);
  const severities = validateManifests(read.inputs).map((p) => [p.message.split(' is not')[0], p.severity]);
  expect(severities).toEqual([
    ['Secret "aws"', 'warning'],
    ['ConfigMap "web-config"', 'error'],
    ['ServiceAccount "robot"', 'warning'],
  ]);
});
