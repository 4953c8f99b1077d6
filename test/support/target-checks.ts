/**
 * What issue "kind and minikube targets" promises for any converted stack, checked on the files
 * a stack directory really holds: every published port has a NodePort and a kind mapping (host
 * IP and protocol kept), built images have a load step and a pull policy that never reaches a
 * registry, and `kubectl kustomize` accepts the directory.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import type { ComposeChart } from '../../lib/chart/compose-chart';

type Obj = {
  kind: string;
  metadata: { name: string };
  spec?: {
    type?: string;
    ports?: { port: number; nodePort?: number; protocol?: string; targetPort?: number }[];
    template?: { spec?: { containers?: { image?: string; imagePullPolicy?: string }[] } };
  };
};

interface KindMapping {
  containerPort: number;
  hostPort: number;
  listenAddress?: string;
  protocol: string;
}

const hasKubectl = spawnSync('bash', ['-c', 'command -v kubectl']).status === 0;

export function kustomizeSkipReason(): string | undefined {
  return hasKubectl ? undefined : 'kubectl is not on the PATH';
}

export function readStack(dir: string): Obj[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !['kustomization.yaml', 'kind-cluster.yaml'].includes(f))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
}

export function expectPublishedPortsReachable(chart: ComposeChart, dir: string): void {
  const objects = readStack(dir);
  const kind = parse(fs.readFileSync(path.join(dir, 'kind-cluster.yaml'), 'utf8')) as {
    nodes: { extraPortMappings?: KindMapping[] }[];
  };
  const mappings = kind.nodes.flatMap((n) => n.extraPortMappings ?? []);
  const conflicts = new Set(
    chart.diagnostics.filter((d) => d.code === 'host-port-conflict').map((d) => d.service ?? ''),
  );
  for (const [name, service] of Object.entries(chart.project.services)) {
    for (const port of service.ports) {
      if (port.published === undefined) continue;
      const protocol = port.protocol.toUpperCase();
      if (service.networkMode?.kind === 'host') {
        expect(mappings).toContainEqual(expect.objectContaining({ containerPort: port.target, protocol }));
        continue;
      }
      const companion = objects.find(
        (o) => o.kind === 'Service' && o.metadata.name === `${chart.service(name).kubernetesName}-published`,
      );
      const servicePort = companion?.spec?.ports?.find(
        (p) => p.port === port.published && (p.protocol ?? 'TCP') === protocol,
      );
      expect({ service: name, published: port.published, nodePort: servicePort?.nodePort }).toEqual({
        service: name,
        published: port.published,
        nodePort: expect.any(Number),
      });
      if (conflicts.has(name)) continue;
      const expected: KindMapping = {
        containerPort: servicePort?.nodePort ?? -1,
        hostPort: port.published,
        protocol,
        ...(port.hostIp ? { listenAddress: port.hostIp } : {}),
      };
      expect(mappings).toContainEqual(expected);
    }
  }
}

export function expectBuiltImagesLoadable(chart: ComposeChart, dir: string): void {
  const objects = readStack(dir);
  const built = Object.entries(chart.project.services).filter(([, s]) => s.build);
  const script = built.length > 0 ? fs.readFileSync(path.join(dir, 'load-images.sh'), 'utf8') : '';
  const lines = script.split('\n');
  for (const [name] of built) {
    const workload = objects.find(
      (o) => o.metadata.name === chart.service(name).kubernetesName && o.spec?.template !== undefined,
    );
    const container = workload?.spec?.template?.spec?.containers?.[0];
    expect({ service: name, pullPolicy: container?.imagePullPolicy }).toEqual({ service: name, pullPolicy: 'Never' });
    // Built once (services with the same build share it) and loaded under the name the manifest uses.
    const image = container?.image ?? '';
    const builtBy = lines.filter((l) => l.startsWith('docker build ') && l.includes(` -t ${image} `));
    expect({ service: name, builds: builtBy.length }).toEqual({ service: name, builds: 1 });
    const loads = lines.filter((l) => l.startsWith('kind load docker-image ') && l.split(' ').includes(image));
    expect({ service: name, loads: loads.length }).toEqual({ service: name, loads: 1 });
  }
}

export function expectKustomizeBuilds(dir: string): void {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  expect(parseAllDocuments(run.stdout).length).toBe(readStack(dir).length);
}

/** The kind-target tests every converted stack gets (seed charts and corpus projects alike). */
export function describeKindTargetChecks(stack: () => { chart: ComposeChart; dir: string }): void {
  const skipKustomize = kustomizeSkipReason();
  test('every published port has a NodePort and a kind mapping, host IP and protocol kept', () => {
    const { chart, dir } = stack();
    expectPublishedPortsReachable(chart, dir);
  });
  test('built images have a load step and a pull policy that never tries a registry', () => {
    const { chart, dir } = stack();
    expectBuiltImagesLoadable(chart, dir);
  });
  (skipKustomize ? test.skip : test)(
    skipKustomize ? `kubectl kustomize builds it (skipped: ${skipKustomize})` : 'kubectl kustomize builds it',
    () => expectKustomizeBuilds(stack().dir),
  );
}
