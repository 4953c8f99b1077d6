/** InPactAI (seed 001): dev (hot-reload mounts) and prod, both straight from the Compose overrides. */
import { composeOnly, type SeedChart } from '../seed-chart';

const STACK = 'inpactai';

export const INPACTAI_CHARTS: readonly SeedChart[] = [
  composeOnly({ id: 'inpactai-dev', stack: STACK, files: ['compose.yaml', 'compose.dev.yaml'] }),
  composeOnly({ id: 'inpactai-prod', stack: STACK, files: ['compose.yaml', 'compose.prod.yaml'] }),
];
