import type { Construct } from 'constructs';
import { ComposeChart } from '../lib/chart/compose-chart';
import type { ComposeProject } from '../lib/compose/model';
import { loadSeedProject } from './load';

/** One synthesized variant of a seed stack (`dynoai-prod`, `story-12-1-worker`, ...). */
export interface SeedChart {
  /** Chart id, also the output directory name under dist/. */
  readonly id: string;
  /** Folder under charts/ holding the stack's Compose files. */
  readonly stack: string;
  build(scope: Construct): ComposeChart;
}

export interface ComposeVariant {
  readonly id: string;
  readonly stack: string;
  /** Compose files in merge order, relative to the stack folder. */
  readonly files: readonly string[];
  readonly profiles?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
}

export interface BuiltVariant {
  readonly chart: ComposeChart;
  readonly project: ComposeProject;
}

/** Loads a variant's Compose files and translates them into a chart of that id. */
export function buildVariant(scope: Construct, variant: ComposeVariant): BuiltVariant {
  const project = loadSeedProject(variant.stack, variant.files, variant);
  const chart = new ComposeChart(scope, variant.id, { project });
  return { chart, project };
}

/** A seed chart that is exactly its Compose files, with no Kubernetes-only additions. */
export function composeOnly(variant: ComposeVariant): SeedChart {
  return { id: variant.id, stack: variant.stack, build: (scope) => buildVariant(scope, variant).chart };
}
