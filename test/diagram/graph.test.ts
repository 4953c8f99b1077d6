/**
 * The diagram's graph, read directly: one node per Compose service with its workload, image and
 * replicas; entry points for published ports and Ingress routes; depends_on edges with their
 * condition; what each service mounts; one group per Compose network.
 */
import { DiagramIds } from '../../lib/diagram/ids';
import { edges, seedGraph, service, snippetGraph } from './support';

describe('story-12-1 (proxy -> frontend/backend -> db and redis)', () => {
  const graph = seedGraph('story-12-1');

  test('one node per service, labelled with name, workload and replicas, image', () => {
    expect(graph.services.map((s) => s.label)).toEqual([
      ['backend', 'Deployment, 1 replica', 'backend-dev'],
      ['db', 'Deployment, 1 replica', 'postgres:15'],
      ['frontend', 'Deployment, 1 replica', 'frontend-dev'],
      ['proxy', 'Deployment, 1 replica', 'nginx:1.27-alpine'],
      ['redis', 'Deployment, 1 replica', 'redis:7'],
    ]);
  });

  test('the health-gated start order is drawn with its conditions', () => {
    expect(edges(graph, 'depends-on')).toEqual([
      'backend -> db: healthy',
      'backend -> redis: healthy',
      'frontend -> backend: healthy',
      'proxy -> backend: healthy',
      'proxy -> frontend: healthy',
    ]);
  });

  test('each published port is an entry point host:port -> service:port, and the Ingress routes its paths', () => {
    expect(graph.entryPoints.map((e) => e.label)).toEqual([
      ['Ingress story-12-1'],
      ['localhost:8000 -> backend:8000'],
      ['localhost:5432 -> db:5432'],
      ['localhost:5173 -> frontend:5173'],
      ['localhost:80 -> proxy:80'],
      ['localhost:6379 -> redis:6379'],
    ]);
    expect(edges(graph, 'route')).toEqual([
      'Ingress story-12-1 -> backend: /api /admin /static | /media',
      'Ingress story-12-1 -> frontend: /',
      'localhost:8000 -> backend:8000 -> backend',
      'localhost:5432 -> db:5432 -> db',
      'localhost:5173 -> frontend:5173 -> frontend',
      'localhost:80 -> proxy:80 -> proxy',
      'localhost:6379 -> redis:6379 -> redis',
    ]);
  });

  test('named volumes are claims, source trees host directories, nginx.conf a ConfigMap, each joined to who mounts it', () => {
    expect(graph.storage.map((s) => s.label)).toEqual([
      ['app-backend-media', 'PVC 1Gi'],
      ['app-backend-static', 'PVC 1Gi'],
      ['app-frontend-node-modules', 'PVC 1Gi'],
      ['app-postgres-data', 'PVC 1Gi'],
      ['app-proxy-logs', 'PVC 1Gi'],
      ['app-redis-data', 'PVC 1Gi'],
      ['./backend', 'hostPath'],
      ['./backend/logs', 'hostPath'],
      ['./frontend/public', 'hostPath'],
      ['./frontend/src', 'hostPath'],
      ['proxy-etc-nginx-nginx-conf', 'ConfigMap'],
    ]);
    expect(edges(graph, 'mount')).toEqual(
      expect.arrayContaining([
        'db -> app-postgres-data: /var/lib/postgresql/data',
        'proxy -> proxy-etc-nginx-nginx-conf: /etc/nginx/nginx.conf (ro)',
        'backend -> ./backend: /app',
        'frontend -> app-frontend-node-modules: /app/node_modules',
      ]),
    );
  });

  test('the Compose network is one group holding every service', () => {
    expect(graph.networks).toEqual([
      {
        id: 'net_app_network',
        name: 'app-network',
        internal: false,
        external: false,
        label: 'network app-network',
        services: ['svc_backend', 'svc_db', 'svc_frontend', 'svc_proxy', 'svc_redis'],
      },
    ]);
  });
});

describe('story-12-1-worker', () => {
  test('the Celery worker shares the backend_media claim: one node, an edge from each service', () => {
    const graph = seedGraph('story-12-1-worker');
    expect(edges(graph, 'mount').filter((e) => e.includes('app-backend-media'))).toEqual([
      'backend -> app-backend-media: /app/media',
      'celery -> app-backend-media: /app/media',
    ]);
    expect(graph.storage.filter((s) => s.name === 'app-backend-media')).toHaveLength(1);
  });
});

describe('dynoai-jetdrive', () => {
  const graph = seedGraph('dynoai-jetdrive');

  test('a short depends_on is drawn as "started"', () => {
    expect(edges(graph, 'depends-on')).toEqual(['api -> redis: healthy', 'frontend -> api: started']);
  });

  test('the host-networked api is outside the network group, its ports entry points on the node', () => {
    expect(service(graph, 'api').label).toEqual(['api', 'Deployment, 1 replica', 'dynoai-api', 'host network']);
    expect(graph.networks.map((n) => [n.label, n.services])).toEqual([
      ['network default', ['svc_frontend', 'svc_redis']],
    ]);
    expect(graph.entryPoints.map((e) => e.label[0])).toEqual([
      'localhost:80 -> frontend:80',
      'localhost:6379 -> redis:6379',
      'node:5001 -> api (host network)',
      'node:22344/udp -> api (host network)',
    ]);
  });
});

describe('carbon-nexus-prod', () => {
  test('the five-service health chain and the monitoring profile, every service on carbon_network', () => {
    const graph = seedGraph('carbon-nexus-prod');
    expect(edges(graph, 'depends-on')).toEqual([
      'data-core -> ml-engine: healthy',
      'frontend-ui -> orchestration-engine: healthy',
      'frontend-ui -> rag-chatbot: healthy',
      'grafana -> prometheus: started',
      'orchestration-engine -> data-core: healthy',
      'orchestration-engine -> ml-engine: healthy',
      'rag-chatbot -> orchestration-engine: healthy',
    ]);
    expect(graph.networks.map((n) => [n.label, n.services.length])).toEqual([['network carbon_network', 7]]);
    // Service names with `-` get ids Mermaid and DOT both accept.
    expect(service(graph, 'orchestration-engine').id).toBe('svc_orchestration_engine');
  });
});

describe('Compose snippets', () => {
  test('replicas, a Job awaited with service_completed_successfully, a global service', () => {
    const graph = snippetGraph(`
services:
  web:
    image: nginx
    deploy: { replicas: 3 }
    depends_on:
      migrate: { condition: service_completed_successfully }
      cache: { condition: service_started, required: false }
  migrate: { image: flyway/flyway:10 }
  cache: { image: redis:7 }
  agent:
    image: datadog/agent:7
    deploy: { mode: global }
`);
    expect(service(graph, 'web').label.slice(0, 2)).toEqual(['web', 'Deployment, 3 replicas']);
    expect(service(graph, 'migrate').label.slice(0, 2)).toEqual(['migrate', 'Job, runs to completion']);
    expect(service(graph, 'agent').label.slice(0, 2)).toEqual(['agent', 'DaemonSet, one pod per node']);
    expect(edges(graph, 'depends-on')).toEqual(['web -> cache: started, optional', 'web -> migrate: completed']);
  });

  test('an internal network is marked; a service on two networks is drawn between the groups', () => {
    const graph = snippetGraph(`
services:
  proxy: { image: traefik, ports: ['80:80'], networks: [frontend] }
  app: { image: shop, networks: [frontend, backend] }
  db: { image: mariadb, networks: [backend] }
networks:
  frontend: {}
  backend: { internal: true }
`);
    expect(graph.networks.map((n) => [n.label, n.internal, n.services])).toEqual([
      ['network backend (internal)', true, ['svc_db']],
      ['network frontend', false, ['svc_proxy']],
    ]);
    expect(service(graph, 'app').label).toContain('networks: backend, frontend');
  });

  test('Compose secrets and configs are Secret and ConfigMap nodes; a digest is shortened', () => {
    const graph = snippetGraph(`
services:
  api:
    image: ghcr.io/acme/api@sha256:${'0123456789abcdef'.repeat(4)}
    secrets: [token]
    configs: [{ source: settings, target: /etc/api/settings.yaml }]
secrets:
  token: { external: true }
configs:
  settings: { content: 'debug: false' }
`);
    expect(service(graph, 'api').image).toBe('ghcr.io/acme/api@sha256:0123456789ab');
    expect(graph.storage.map((s) => [s.kind, s.label])).toEqual([
      ['config-map', ['settings', 'ConfigMap']],
      ['secret', ['token', 'Secret']],
    ]);
    expect(edges(graph, 'mount')).toEqual([
      'api -> token: /run/secrets/token (ro)',
      'api -> settings: /etc/api/settings.yaml (ro)',
    ]);
  });

  test('consecutive published ports are one entry point; a UDP port and a host IP are shown', () => {
    const graph = snippetGraph(`
services:
  game:
    image: game
    ports: ['7000-7002:7000-7002', '127.0.0.1:9000:90', '5353:53/udp']
`);
    expect(graph.entryPoints.map((e) => e.label)).toEqual([
      ['localhost:7000-7002 -> game:7000-7002'],
      ['localhost:5353 -> game:53/udp'],
      ['127.0.0.1:9000 -> game:90'],
    ]);
  });

  test('a service renamed for Kubernetes shows the name it answers on', () => {
    const graph = snippetGraph('services:\n  api_v1: { image: api }\n');
    expect(service(graph, 'api_v1')).toMatchObject({ id: 'svc_api_v1', kubernetesName: 'api-v1' });
    expect(service(graph, 'api_v1').label).toContain('named api-v1');
  });
});

describe('diagram ids', () => {
  test('names that differ only in punctuation get distinct ids, the same name the same id', () => {
    const ids = new DiagramIds();
    expect([
      ids.id('cm', 'app.conf'),
      ids.id('cm', 'app-conf'),
      ids.id('cm', 'app_conf_2'),
      ids.id('cm', 'app.conf'),
    ]).toEqual(['cm_app_conf', 'cm_app_conf_2', 'cm_app_conf_2_2', 'cm_app_conf']);
    expect(ids.id('svc', 'end')).toBe('svc_end');
  });
});
