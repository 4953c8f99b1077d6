/**
 * WildID (seed 002): dev with Mailhog, and prod behind HTTPS. The document's production app sits
 * behind a reverse proxy terminating TLS for the public domain: here an Ingress with TLS.
 */
import { addIngress } from '../ingress';
import { buildVariant, composeOnly, type SeedChart } from '../seed-chart';

const STACK = 'wildid';

/** The document's placeholder domain ("yourdomain.com"), as an example.com name. */
export const WILDID_HOST = 'wildid.example.com';
/** Holds the certificate for WILDID_HOST; created by the operator, not by the chart. */
export const WILDID_TLS_SECRET = 'wildid-tls';

const prod: SeedChart = {
  id: 'wildid-prod',
  stack: STACK,
  build(scope) {
    const { chart, project } = buildVariant(scope, {
      id: 'wildid-prod',
      stack: STACK,
      files: ['compose.yaml', 'compose.prod.yaml'],
    });
    addIngress(chart, project, {
      name: 'wildid',
      host: WILDID_HOST,
      tlsSecretName: WILDID_TLS_SECRET,
      routes: [{ path: '/', service: 'app', port: 3000 }],
    });
    return chart;
  },
};

export const WILDID_CHARTS: readonly SeedChart[] = [
  composeOnly({ id: 'wildid-dev', stack: STACK, files: ['compose.yaml', 'compose.dev.yaml'] }),
  prod,
];
