/**
 * End to end on a real kind cluster: the CLI converts examples/shop for kind, its generated up.sh
 * creates the cluster, applies and waits for every rollout, then the same checks as `npm run e2e`
 * (test/e2e/checks.ts) run against it, plus the published port on localhost as under Compose
 * (kind-cluster.yaml maps it). It needs kind, kubectl and a Docker engine; without them the test
 * is skipped and its name says why (these CI machines have no Docker engine).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatResults, runShopChecks } from './checks';
import { readShopFacts } from './shop-facts';
import { convertWithCli, diagnose, failure, freshNamespace, hasCommand, Kubectl, run } from './cluster';

function missingPrerequisite(): string | undefined {
  for (const tool of ['kind', 'docker', 'kubectl']) if (!hasCommand(tool)) return `${tool} is not on the PATH`;
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return 'no Docker engine answers docker info';
  return undefined;
}

const reason = missingPrerequisite();
const STACK = 'examples/shop';

(reason ? test.skip : test)(
  reason ? `up.sh brings ${STACK} up on kind (skipped: ${reason})` : `up.sh brings ${STACK} up on kind`,
  async () => {
    const facts = readShopFacts();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
    const dir = path.join(work, 'shop');
    const namespace = freshNamespace();
    const cluster = `e2e-${process.pid}`;
    try {
      const converted = convertWithCli({ composeFile: facts.composeFile, target: 'kind', namespace, outDir: dir });
      expect({ status: converted.status, why: failure(converted) }).toEqual({ status: 0, why: expect.any(String) });

      const up = run('bash', [path.join(dir, 'up.sh')], {
        env: { ...process.env, KIND_CLUSTER_NAME: cluster },
        timeoutMs: 15 * 60_000,
      });
      const kubectl = new Kubectl({ context: `kind-${cluster}`, namespace });
      if (up.status !== 0) process.stderr.write(`up.sh failed:\n${up.stderr}\n${diagnose(kubectl)}\n`);
      expect({ status: up.status, stderr: up.stderr }).toEqual({ status: 0, stderr: expect.any(String) });

      const results = await runShopChecks({
        kubectl,
        facts,
        extraPublishedUrls: [`http://127.0.0.1:${facts.published.hostPort}/`],
      });
      process.stdout.write(`${formatResults(results)}\n`);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      spawnSync('kind', ['delete', 'cluster', '--name', cluster], { stdio: 'ignore' });
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
  20 * 60_000,
);
