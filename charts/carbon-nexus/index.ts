/**
 * Carbon Nexus (seed 004): the five-service chain as the base file describes it, plus the
 * document's dev and prod overrides; prod also runs the optional monitoring profile.
 */
import { composeOnly, type SeedChart } from '../seed-chart';

const STACK = 'carbon-nexus';

export const CARBON_NEXUS_CHARTS: readonly SeedChart[] = [
  composeOnly({ id: 'carbon-nexus', stack: STACK, files: ['compose.yaml'] }),
  composeOnly({ id: 'carbon-nexus-dev', stack: STACK, files: ['compose.yaml', 'compose.dev.yaml'] }),
  composeOnly({
    id: 'carbon-nexus-prod',
    stack: STACK,
    files: ['compose.yaml', 'compose.prod.yaml'],
    profiles: ['monitoring'],
  }),
];
