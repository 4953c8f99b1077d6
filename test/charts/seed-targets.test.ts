/**
 * The seed stacks as `cdk8s synth` writes them to dist/: each directory is ready for kind
 * (published ports mapped to NodePorts, images loadable) and for `kubectl apply -k`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import { writeCharts } from '../../lib/output/stack';
import { describeKindTargetChecks } from '../support/target-checks';

describe.each(SEED_CHARTS.map((s) => s.id))('%s on kind', (id) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
  const chart = SEED_CHARTS.find((s) => s.id === id)!.build(new App({ outdir: out }));
  let dir: string;
  beforeAll(async () => {
    [dir] = await writeCharts([chart], out);
  });

  test('the stack directory holds the manifests, kustomization, kind config, up.sh, NOTES.md and the diagram', () => {
    expect(fs.readdirSync(dir)).toEqual(
      expect.arrayContaining([
        'manifests.yaml',
        'kustomization.yaml',
        'kind-cluster.yaml',
        'up.sh',
        'NOTES.md',
        'diagram.svg',
      ]),
    );
  });

  describeKindTargetChecks(() => ({ chart, dir }));
});
