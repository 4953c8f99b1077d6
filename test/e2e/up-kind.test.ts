/**
 * End to end on a real kind cluster: up.sh of a seed stack creates the cluster, loads the
 * images, applies and waits for every rollout. It needs kind and a Docker engine; without them
 * the test is skipped and its name says why (these CI machines have no Docker engine).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import { writeCharts } from '../../lib/output/stack';

function missingPrerequisite(): string | undefined {
  const has = (tool: string) => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0;
  for (const tool of ['kind', 'docker', 'kubectl']) if (!has(tool)) return `${tool} is not on the PATH`;
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return 'no Docker engine answers docker info';
  return undefined;
}

const reason = missingPrerequisite();
const STACK = 'wildid-prod';

(reason ? test.skip : test)(
  reason ? `up.sh brings ${STACK} up on kind (skipped: ${reason})` : `up.sh brings ${STACK} up on kind`,
  () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
    const seed = SEED_CHARTS.find((s) => s.id === STACK);
    if (!seed) throw new Error(`no seed chart ${STACK}`);
    const [dir] = writeCharts([seed.build(new App({ outdir: out }))], out);
    const cluster = `e2e-${process.pid}`;
    try {
      const up = spawnSync('bash', [path.join(dir, 'up.sh')], {
        env: { ...process.env, KIND_CLUSTER_NAME: cluster },
        encoding: 'utf8',
        timeout: 15 * 60_000,
      });
      expect({ status: up.status, stderr: up.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    } finally {
      spawnSync('kind', ['delete', 'cluster', '--name', cluster], { stdio: 'ignore' });
    }
  },
  20 * 60_000,
);
