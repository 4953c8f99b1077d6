/**
 * The README's library example is examples/library-app, verbatim: this test runs its main.ts as
 * `cdk8s synth` would and checks it writes the same stack directory as `compose-cdk8s convert`
 * (its snapshot recipe, main.test.ts, is run by jest itself; the packed package is exercised by
 * `npm run test:compat`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { cli } from '../cli/run';

const root = path.join(__dirname, '..', '..');
const example = path.join(root, 'examples', 'library-app');

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

test.each(['main.ts', 'main.test.ts', 'cdk8s.yaml', 'tsconfig.json'])(
  'README shows examples/library-app/%s verbatim',
  (file) => {
    const blocks = codeBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(blocks).toContain(fs.readFileSync(path.join(example, file), 'utf8'));
  },
);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function listFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
  }
  return files;
}

test('main.ts writes the cdk8s manifest and the same stack directory as the CLI, with its patches applied', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'library-app-'));
  const appOut = path.join(tmp, 'app');
  const cliOut = path.join(tmp, 'cli', 'shop');
  const converted = await cli(['convert', '-f', path.join(example, 'compose.yaml'), '-n', 'shop', '-o', cliOut, '-q'], {
    cwd: tmp,
  });
  expect(converted.code).toBe(0);

  const saved = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = appOut;
  try {
    await jest.isolateModulesAsync(() => import(path.join(example, 'main.ts')));
    // main.ts does not wait for writeStack, as a cdk8s app need not: the directory appears whole
    // (it is renamed into place), so its appearance means it is complete.
    await until(() => fs.existsSync(path.join(appOut, 'shop', 'manifests.yaml')), 20_000);
  } finally {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
  }

  expect(fs.existsSync(path.join(appOut, 'shop.k8s.yaml'))).toBe(true);
  const fromApp = listFiles(path.join(appOut, 'shop'));
  const fromCli = listFiles(cliOut);
  expect([...fromApp.keys()].sort()).toEqual([...fromCli.keys()].sort());
  // The manifests and the picture of them (NOTES.md's diagram, diagram.svg, and the marker that
  // names the graph diagram.svg was laid out from) show the app's patches.
  const describeObjects = new Set(['manifests.yaml', 'NOTES.md', 'diagram.svg', '.compose-cdk8s']);
  for (const [name, content] of fromCli)
    if (!describeObjects.has(name)) expect([name, fromApp.get(name)]).toEqual([name, content]);
  expect(fromApp.get('NOTES.md')).toContain('Deployment, 2 replicas');
  expect(fromApp.get('NOTES.md')).toContain('PVC 5Gi');

  const objects = (fromApp.get('manifests.yaml') ?? '').split(/^---$/m).map((d) => parse(d));
  const api = objects.find((o) => o?.kind === 'Deployment' && o.metadata.name === 'api');
  const claim = objects.find((o) => o?.kind === 'PersistentVolumeClaim');
  expect(api.spec.replicas).toBe(2);
  expect(claim.spec.resources.requests.storage).toBe('5Gi');
});
