/**
 * Story 12.1 (seed 003): the nginx-fronted dev stack, and the same stack with the optional
 * Celery worker (profile with-celery). Besides the proxy's own published port 80, an Ingress
 * does the proxy's routing so the stack is reachable through the cluster's ingress controller.
 */
import type { IngressRoute } from '../ingress';
import { addIngress } from '../ingress';
import { buildVariant, type SeedChart } from '../seed-chart';

const STACK = 'story-12-1';

/**
 * nginx.conf's locations. /ws and /@vite/ go to the frontend like the catch-all /, so the
 * catch-all covers them; ingress-nginx proxies WebSocket upgrades (Vite HMR) by default.
 */
export const STORY_ROUTES: readonly IngressRoute[] = [
  { path: '/api', service: 'backend', port: 8000 },
  { path: '/admin', service: 'backend', port: 8000 },
  { path: '/static', service: 'backend', port: 8000 },
  { path: '/media', service: 'backend', port: 8000 },
  { path: '/', service: 'frontend', port: 5173 },
];

function storyChart(id: string, profiles: readonly string[]): SeedChart {
  return {
    id,
    stack: STACK,
    build(scope) {
      const { chart, project } = buildVariant(scope, { id, stack: STACK, files: ['compose.yaml'], profiles });
      addIngress(chart, project, { name: 'story-12-1', routes: STORY_ROUTES });
      return chart;
    },
  };
}

export const STORY_12_1_CHARTS: readonly SeedChart[] = [
  storyChart('story-12-1', []),
  storyChart('story-12-1-worker', ['with-celery']),
];
