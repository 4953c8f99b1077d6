/**
 * Everything one stack directory holds: the manifests, the kustomization that lets
 * `kubectl apply -k <dir>` apply them, and the target's files (kind cluster config, scripts,
 * NOTES.md with the stack's diagram) and diagram.svg. Shared by `cdk8s synth` (main.ts) and the
 * CLI so both write the same bytes. Asynchronous because the SVG renderer (Graphviz in
 * WebAssembly) can only be loaded asynchronously.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import type { ComposeChart } from '../chart/compose-chart';
import { drawableGraph } from '../diagram/graph';
import { renderDot } from '../diagram/dot';
import { layoutKey, markerWithLayout, reusableLayout, type LayoutStore } from '../diagram/layout-cache';
import { dotToSvgCentered } from '../diagram/svg';
import { targetFiles } from '../targets/files';
import { renderKustomization, renderManifests, type ManifestFormat } from './render';
import { OUTPUT_MARKER, writeDirectoryAtomically, type OutputFile } from './atomic-write';

export interface StackOutputOptions {
  readonly format?: ManifestFormat;
  readonly split?: boolean;
  /** `--secrets external`: what up.sh runs to create the Secrets left out (lib/output/external-secrets.ts). */
  readonly secretsCommand?: readonly string[];
  /** Diagrams laid out by earlier runs (`layoutFile`), used when the stack directory holds none. */
  readonly layouts?: LayoutStore;
}

export function stackFiles(objects: readonly unknown[], options: StackOutputOptions = {}): Map<string, OutputFile> {
  const manifests = renderManifests(objects, { format: options.format, split: options.split });
  const files = new Map<string, OutputFile>();
  for (const [name, content] of manifests) files.set(name, { content });
  files.set('kustomization.yaml', { content: renderKustomization([...manifests.keys()]) });
  return files;
}

/**
 * The manifests of a chart, its target's files and its diagram, as they will be written to
 * `stackDir`. A diagram.svg already in `stackDir` drawn from the same graph is taken as it is.
 */
export async function composeStackFiles(
  chart: ComposeChart,
  stackDir: string,
  options: StackOutputOptions = {},
  // Synthesizing resolves every object: callers that already hold the objects pass them in.
  objects: readonly unknown[] = chart.toJson(),
): Promise<Map<string, OutputFile>> {
  const files = stackFiles(objects, options);
  const graph = drawableGraph(chart, objects);
  for (const [name, file] of targetFiles(chart, chart.exposure, stackDir, objects, graph, options.secretsCommand).files)
    files.set(name, file);
  if (graph) {
    const dot = renderDot(graph);
    const key = layoutKey(dot);
    const svg = reusableLayout(stackDir, key) ?? options.layouts?.get(key) ?? (await dotToSvgCentered(dot));
    options.layouts?.set(key, svg);
    files.set('diagram.svg', { content: svg });
    files.set(OUTPUT_MARKER, { content: markerWithLayout(key) });
  }
  return files;
}

/**
 * Writes what `compose-cdk8s convert` writes for one chart: the manifests (Namespace first), the
 * kustomization, the target's files (kind-cluster.yaml, load-images.sh, up.sh, NOTES.md with the
 * diagram) and diagram.svg. `dir` (default `<app outdir>/<chart id>`, `dist/shop` for a chart
 * `shop`) is replaced atomically, and only when compose-cdk8s wrote it before (or it is empty or
 * absent). Resolves to the directory.
 */
export async function writeStack(chart: ComposeChart, dir?: string, options: StackOutputOptions = {}): Promise<string> {
  const target = path.resolve(dir ?? path.join(App.of(chart).outdir, chart.node.id));
  writeDirectoryAtomically(target, await composeStackFiles(chart, target, options));
  return target;
}

/** Writes each chart to `<outdir>/<chart id>/` with `writeStack`, one after the other. */
export async function writeCharts(
  charts: readonly ComposeChart[],
  outdir: string,
  options: StackOutputOptions = {},
): Promise<string[]> {
  const dirs: string[] = [];
  for (const chart of charts) {
    const dir = path.join(outdir, chart.node.id);
    await writeStack(chart, dir, options);
    dirs.push(dir);
  }
  return dirs;
}
