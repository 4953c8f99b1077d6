/** Every generated object is reachable from the chart by its Compose name; a wrong name lists the valid ones. */
import { App } from 'cdk8s';
import { ComposeChart, loadProjectFromString } from '../../lib';
import { tempProject } from '../support/project';

const COMPOSE = `
name: shop
services:
  proxy:
    image: nginx:1.27
    ports: ['8080:80']
    x-k8s:
      ingress: { host: shop.example.com, port: 80 }
  api:
    image: api:1
    env_file: [api.env]
    environment: { API_SECRET_KEY: s3cret }
    volumes: [uploads:/data/uploads, /scratch]
    depends_on:
      migrate: { condition: service_completed_successfully }
    networks: [back]
  migrate:
    image: api:1
    restart: 'no'
    networks: [back]
    secrets: [db_password]
    configs: [settings]
volumes:
  uploads:
networks:
  back: { internal: true }
secrets:
  db_password: { environment: DB_PASSWORD }
configs:
  settings: { content: 'debug=false' }
`;

function chart(): ComposeChart {
  const result = loadProjectFromString(COMPOSE, {
    workingDir: tempProject({ 'api.env': 'LOG_LEVEL=info\n' }),
    env: { DB_PASSWORD: 'pw' },
  });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return new ComposeChart(new App(), 'shop', { project: result.project, namespace: 'shop' });
}

const id = (o: { kind: string; name: string }) => `${o.kind}/${o.name}`;

test('chart-level objects by Compose name: claims, secrets, configs, policies, published Service, Ingress', () => {
  const c = chart();
  expect(id(c.claim('uploads'))).toBe('PersistentVolumeClaim/uploads');
  expect(id(c.secret('db_password'))).toBe('Secret/db-password');
  expect(id(c.configMap('settings'))).toBe('ConfigMap/settings');
  expect([...c.networkPolicies.values()].map(id)).toEqual([
    'NetworkPolicy/back-network',
    'NetworkPolicy/back-network-egress',
    'NetworkPolicy/default-network',
  ]);
  expect(id(c.publishedService('proxy'))).toBe('Service/proxy-published');
  expect(id(c.ingress('proxy'))).toBe('Ingress/proxy');
  expect(id(c.outsideAccessPolicy('proxy'))).toBe('NetworkPolicy/proxy-from-outside');
  expect(c.namespaceObject && id(c.namespaceObject)).toBe('Namespace/shop');
});

test("service-level objects: workload, Service, the service's own ConfigMaps, Secrets, claims, wait account and egress", () => {
  const api = chart().service('api');
  expect(id(api.workload)).toBe('Deployment/api');
  expect(api.service && id(api.service)).toBe('Service/api');
  // Env files are the chart's, shared by the services using them: the service's own are what no one else uses.
  expect([...api.configMaps.values()].map(id)).toEqual([]);
  expect([...api.secrets.values()].map(id)).toEqual(['Secret/api-env']);
  expect([...chart().envFiles.entries()].map(([name, objects]) => [name, objects.map(id)])).toEqual([
    ['api.env', ['ConfigMap/api.env']],
  ]);
  expect(api.waitServiceAccount && id(api.waitServiceAccount)).toBe('ServiceAccount/api-wait');
  expect(api.waitApiEgressPolicy && id(api.waitApiEgressPolicy)).toBe('NetworkPolicy/api-wait-api-egress');
});

test('a wrong name throws and lists the valid names', () => {
  const c = chart();
  expect(() => c.service('web')).toThrow('no service "web" in Compose project');
  expect(() => c.service('web')).toThrow('valid names: api, migrate, proxy');
  expect(() => c.claim('data')).toThrow('no volume claim "data" in Compose project shop; valid names: uploads');
  expect(() => c.publishedService('api')).toThrow('valid names: proxy');
  expect(() => c.secret('api_key')).toThrow('valid names: db_password');
});

test('claims a service uses alone: a data directory of the project on a generic cluster', () => {
  const dir = tempProject({ 'data/.keep': '' });
  const result = loadProjectFromString('services:\n  api:\n    image: api:1\n    volumes: [./data:/var/lib/api]\n', {
    workingDir: dir,
  });
  if (!result.ok) throw new Error('load failed');
  const api = new ComposeChart(new App(), 'shop', { project: result.project, target: 'generic' }).service('api');
  expect([...api.claims.values()].map(id)).toEqual(['PersistentVolumeClaim/api-var-lib-api']);
});
