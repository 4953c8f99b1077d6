/**
 * The Helm chart of every seed stack and corpus project, rendered by the real helm binary: with
 * its default values it is the plain `convert` output (whole objects, less Helm's labels and
 * the release namespace), `helm lint --strict` passes, and `--set` of a service's replicas or
 * image tag changes exactly those fields.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SEED_CHARTS } from '../../charts';
import { CORPUS_PROJECTS } from '../fixtures/corpus';
import { describeWithHelm, helmTemplate, runHelm, type KubeObject } from '../support/helm';
import { byKey, corpusChart, differences, seedChart, writeFiles, type BuiltChart } from './render';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-charts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CASES: readonly (readonly [string, () => BuiltChart])[] = [
  ...SEED_CHARTS.map((s) => [`seed ${s.id}`, () => seedChart(s.id)] as const),
  ...CORPUS_PROJECTS.map((p) => [`corpus ${p.name}`, () => corpusChart(p.name)] as const),
  // The other targets: LoadBalancer Services with no fixed NodePort, no kind files.
  ...['features/ingress', 'features/secrets-and-configs', 'features/volumes-everything'].flatMap((name) =>
    (['minikube', 'generic'] as const).map((target) => [`${target} ${name}`, () => corpusChart(name, target)] as const),
  ),
];

describeWithHelm('helm chart', (helm) => {
  const dirs = new Map<string, { built: BuiltChart; dir: string; rendered: KubeObject[] }>();
  beforeAll(() => {
    CASES.forEach(([name, build], i) => {
      const built = build();
      const dir = writeFiles(path.join(tmp, `chart-${i}`), built.files);
      dirs.set(name, { built, dir, rendered: helmTemplate(helm, dir) });
    });
  });

  test('helm lint --strict passes for every seed stack and corpus project', () => {
    // One helm process for all charts: it lints each and names those that fail.
    const out = runHelm(helm, ['lint', '--strict', ...[...dirs.values()].map((d) => d.dir)]);
    expect(out).toContain(`${dirs.size} chart(s) linted, 0 chart(s) failed`);
  });

  test('every claim of the chart survives helm uninstall, as docker compose down keeps volumes', () => {
    const claims = [...dirs.values()].flatMap((d) => d.rendered.filter((o) => o.kind === 'PersistentVolumeClaim'));
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims)
      expect((claim.metadata as { annotations?: Record<string, string> }).annotations).toMatchObject({
        'helm.sh/resource-policy': 'keep',
      });
  });

  test.each(CASES.map(([name]) => name))('%s: default values render the plain output', (name) => {
    const { built, rendered } = dirs.get(name)!;
    const plain = byKey(built.objects);
    const chart = byKey(rendered);
    expect([...chart.keys()]).toEqual([...plain.keys()]);
    for (const [key, object] of plain) expect({ key, object: chart.get(key) }).toEqual({ key, object });
    // Every rendered object carries the release's labels.
    for (const o of rendered) {
      expect((o.metadata as unknown as { labels: Record<string, string> }).labels).toMatchObject({
        'app.kubernetes.io/instance': 'release',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': expect.stringMatching(/-0\.1\.0$/),
      });
      expect((o.metadata as { namespace?: string }).namespace).toBe('ns');
    }
  });

  // One Deployment per seed stack: the first service that runs as one.
  test.each(SEED_CHARTS.map((s) => `seed ${s.id}`))(
    '%s: --set replicas and image.tag change exactly those fields',
    (name) => {
      const { built, dir, rendered } = dirs.get(name)!;
      const service = [...built.chart.services.values()].find((s) => s.workloadKind === 'Deployment');
      if (!service) throw new Error(`${name} has no Deployment`);
      const key = `Deployment/${service.kubernetesName}`;
      const before = byKey(rendered).get(key) as KubeObject & {
        spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
      };
      const main = before.spec.template.spec.containers.find((c) => c.name === service.kubernetesName)!;
      const replicas = before.spec.replicas === 3 ? 4 : 3;
      const changed = byKey(
        helmTemplate(helm, dir, [
          '--set',
          `services.${service.serviceName}.replicas=${replicas}`,
          '--set-string',
          `services.${service.serviceName}.image.tag=9.9.9-test`,
        ]),
      );
      const diff = [...byKey(rendered)].flatMap(([k, o]) => differences(o, changed.get(k)).map((p) => `${k} ${p}`));
      const containers = before.spec.template.spec as {
        containers: { image: string }[];
        initContainers?: { image: string }[];
      };
      const sameImage = (list: { image: string }[] | undefined, field: string) =>
        (list ?? []).flatMap((c, i) =>
          c.image === main.image ? [`${key} spec.template.spec.${field}.${i}.image`] : [],
        );
      expect(diff.sort()).toEqual(
        [
          `${key} spec.replicas`,
          ...sameImage(containers.containers, 'containers'),
          ...sameImage(containers.initContainers, 'initContainers'),
        ].sort(),
      );
      const after = changed.get(key) as typeof before;
      expect(after.spec.replicas).toBe(replicas);
      const image = after.spec.template.spec.containers.find((c) => c.name === service.kubernetesName)!.image;
      expect(image).toBe(
        `${main.image.replace(/(@.*)?$/, '').replace(/:[^:/]*$/, '')}:9.9.9-test${/@.*$/.exec(main.image)?.[0] ?? ''}`,
      );
    },
  );
});
