/**
 * DynoAI (seed 000): dev and prod from the Compose overrides, plus the JetDrive mode where the
 * api runs on the host network to receive the dyno's UDP multicast on 22344.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addIngress, clientMaxBodySize } from '../ingress';
import { stackDir } from '../paths';
import { buildVariant, composeOnly, type SeedChart } from '../seed-chart';

const STACK = 'dynoai';

const dev = composeOnly({ id: 'dynoai-dev', stack: STACK, files: ['compose.yaml', 'compose.dev.yaml'] });

/** Production: nginx frontend on 80; the Ingress routes /api straight to the Flask API as nginx does. */
const prod: SeedChart = {
  id: 'dynoai-prod',
  stack: STACK,
  build(scope) {
    const { chart, project } = buildVariant(scope, {
      id: 'dynoai-prod',
      stack: STACK,
      files: ['compose.yaml', 'compose.prod.yaml'],
    });
    // The nginx front accepts 100 MB dyno logs on /api; the Ingress replaces it, so it must too.
    const bodySize = clientMaxBodySize(readFileSync(join(stackDir(STACK), 'frontend', 'nginx.conf'), 'utf8'));
    addIngress(chart, project, {
      name: 'dynoai',
      annotations: bodySize ? { 'nginx.ingress.kubernetes.io/proxy-body-size': bodySize } : undefined,
      routes: [
        { path: '/api', service: 'api', port: 5001 },
        { path: '/', service: 'frontend', port: 80 },
      ],
    });
    return chart;
  },
};

/**
 * JetDrive: the api on the host network with UDP 22344. Under Docker it reaches Redis on
 * localhost (no Compose DNS on the host network); a Kubernetes host-network pod still resolves
 * Services, and the node's localhost has no Redis, so the chart points it at the Service.
 */
const jetdrive = composeOnly({
  id: 'dynoai-jetdrive',
  stack: STACK,
  files: ['compose.yaml', 'compose.prod.yaml', 'compose.jetdrive.yaml'],
  environment: { JETDRIVE_REDIS_HOST: 'redis' },
});

export const DYNOAI_CHARTS: readonly SeedChart[] = [dev, prod, jetdrive];
