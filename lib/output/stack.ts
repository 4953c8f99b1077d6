/**
 * Everything one stack directory holds: the manifests and the kustomization that lets
 * `kubectl apply -k <dir>` apply them. Shared by `cdk8s synth` (main.ts) and the CLI so both
 * write the same bytes.
 */
import type { Chart } from 'cdk8s';
import { renderKustomization, renderManifests, type ManifestFormat } from './render';
import { writeDirectoryAtomically, type OutputFile } from './atomic-write';

export interface StackOutputOptions {
  readonly format?: ManifestFormat;
  readonly split?: boolean;
}

export function stackFiles(objects: readonly unknown[], options: StackOutputOptions = {}): Map<string, OutputFile> {
  const manifests = renderManifests(objects, { format: options.format, split: options.split });
  const files = new Map<string, OutputFile>();
  for (const [name, content] of manifests) files.set(name, { content });
  files.set('kustomization.yaml', { content: renderKustomization([...manifests.keys()]) });
  return files;
}

/** Writes each chart to `<outdir>/<chart id>/`, each directory replaced atomically. */
export function writeCharts(charts: readonly Chart[], outdir: string, options: StackOutputOptions = {}): string[] {
  return charts.map((chart) => {
    const dir = `${outdir}/${chart.node.id}`;
    writeDirectoryAtomically(dir, stackFiles(chart.toJson(), options));
    return dir;
  });
}
