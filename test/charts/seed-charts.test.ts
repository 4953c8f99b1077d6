/**
 * The five seed stacks, synthesized: each chart is snapshot-tested, and checked for what a
 * user of the Compose stack relies on: every service answers on its Compose name and ports, every
 * address in the stack resolves, and the manifests are valid Kubernetes 1.27 objects.
 */
import { Testing } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import type { ComposeChart } from '../../lib/chart/compose-chart';
import { accountProblems } from '../support/account';
import { expectValidManifests } from '../support/k8s-schema';
import { expectReferencesResolve, type Manifest } from '../support/references';
import { synthSeed } from './synth';

type PortTable = Readonly<Record<string, readonly string[]>>;

/** Compose service name -> `port/protocol` it is reachable on from the other services. */
const SERVICE_PORTS: Readonly<Record<string, PortTable>> = {
  'dynoai-dev': { redis: ['6379/TCP'], api: ['5001/TCP'], frontend: ['5173/TCP'] },
  'dynoai-prod': { redis: ['6379/TCP'], api: ['5001/TCP'], frontend: ['80/TCP'] },
  'dynoai-jetdrive': { redis: ['6379/TCP'], api: ['5001/TCP', '22344/UDP'], frontend: ['80/TCP'] },
  'inpactai-dev': { redis: ['6379/TCP'], backend: ['8000/TCP'], frontend: ['5173/TCP'] },
  'inpactai-prod': { redis: ['6379/TCP'], backend: ['8000/TCP'], frontend: ['5173/TCP'] },
  'wildid-dev': { app: ['3000/TCP'], db: ['5432/TCP'], mailhog: ['1025/TCP', '8025/TCP'] },
  'wildid-prod': { app: ['3000/TCP'], db: ['5432/TCP'] },
  'story-12-1': {
    proxy: ['80/TCP'],
    frontend: ['5173/TCP'],
    backend: ['8000/TCP'],
    db: ['5432/TCP'],
    redis: ['6379/TCP'],
  },
  'story-12-1-worker': {
    proxy: ['80/TCP'],
    frontend: ['5173/TCP'],
    backend: ['8000/TCP'],
    db: ['5432/TCP'],
    redis: ['6379/TCP'],
  },
  'carbon-nexus': {
    'ml-engine': ['8001/TCP'],
    'data-core': ['8002/TCP'],
    'orchestration-engine': ['8003/TCP'],
    'rag-chatbot': ['8004/TCP'],
    'frontend-ui': ['5173/TCP'],
  },
  'carbon-nexus-dev': {
    'ml-engine': ['8001/TCP'],
    'data-core': ['8002/TCP'],
    'orchestration-engine': ['8003/TCP'],
    'rag-chatbot': ['8004/TCP'],
    'frontend-ui': ['5173/TCP'],
  },
  'carbon-nexus-prod': {
    'ml-engine': ['8001/TCP'],
    'data-core': ['8002/TCP'],
    'orchestration-engine': ['8003/TCP'],
    'rag-chatbot': ['8004/TCP'],
    'frontend-ui': ['5173/TCP'],
    prometheus: ['9090/TCP'],
    grafana: ['3000/TCP'],
  },
};

/** Cluster-internal Services by name (NodePort companions for published ports are separate objects). */
function servicePortTable(manifests: readonly Manifest[]): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const m of manifests.filter((o) => o.kind === 'Service')) {
    const metadata = m.metadata as { name: string };
    const spec = m.spec as { type?: string; ports?: { port: number; protocol?: string }[] };
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') continue;
    table[metadata.name] = (spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).sort();
  }
  return table;
}

test('the seed charts are the documented variants of the five stacks', () => {
  expect(SEED_CHARTS.map((s) => s.id)).toEqual(Object.keys(SERVICE_PORTS));
  expect(new Set(SEED_CHARTS.map((s) => s.stack))).toEqual(
    new Set(['dynoai', 'inpactai', 'wildid', 'story-12-1', 'carbon-nexus']),
  );
});

describe.each(Object.keys(SERVICE_PORTS))('%s', (id) => {
  let manifests: Manifest[];
  beforeAll(() => {
    manifests = synthSeed(id);
  });

  test('synthesizes the same manifests as before', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('synthesizes the same manifests every time', () => {
    expect(synthSeed(id)).toEqual(manifests);
  });

  test('every service answers on its Compose name and ports', () => {
    const table = servicePortTable(manifests);
    for (const [name, ports] of Object.entries(SERVICE_PORTS[id])) {
      expect({ name, ports: table[name] }).toEqual({ name, ports: [...ports].sort() });
    }
  });

  test('every address, Ingress backend, volume claim, Secret and ConfigMap resolves', () => {
    expectReferencesResolve(manifests);
  });

  test('every object is valid against the Kubernetes 1.27 schema', () => {
    expectValidManifests(manifests);
  });

  test('every Compose key is translated, or reported at its line with the reason', () => {
    const seed = SEED_CHARTS.find((s) => s.id === id);
    expect(accountProblems(seed?.build(Testing.app()) as ComposeChart)).toEqual([]);
  });
});
