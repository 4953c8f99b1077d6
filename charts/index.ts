/**
 * The five seed stacks (see each `charts/<stack>/README.md`), as cdk8s charts. main.ts adds
 * them all to the app; tests build them one by one.
 */
import type { App } from 'cdk8s';
import type { ComposeChart } from '../lib/chart/compose-chart';
import { CARBON_NEXUS_CHARTS } from './carbon-nexus';
import { DYNOAI_CHARTS } from './dynoai';
import { INPACTAI_CHARTS } from './inpactai';
import type { SeedChart } from './seed-chart';
import { STORY_12_1_CHARTS } from './story-12-1';
import { WILDID_CHARTS } from './wildid';

export type { SeedChart } from './seed-chart';

export const SEED_CHARTS: readonly SeedChart[] = [
  ...DYNOAI_CHARTS,
  ...INPACTAI_CHARTS,
  ...WILDID_CHARTS,
  ...STORY_12_1_CHARTS,
  ...CARBON_NEXUS_CHARTS,
];

export function addSeedCharts(app: App): ComposeChart[] {
  return SEED_CHARTS.map((seed) => seed.build(app));
}
