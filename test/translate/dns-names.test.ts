/**
 * Every name a container is reached by under Compose resolves in the cluster, on the same ports:
 * the service name, its `container_name` and its network aliases.
 */
import { loadErrors } from '../support/project';
import { synthProject } from '../support/synth';

describe('container_name', () => {
  const stack = `services:
  elasticsearch:
    image: elasticsearch
    container_name: es
    expose: ["9200", "9300"]
  logstash:
    image: logstash
    container_name: logstash
`;

  test('is a Service selecting the same pods with the same ports', () => {
    const s = synthProject(stack);
    expect(s.find('Service', 'es').spec).toEqual(s.find('Service', 'elasticsearch').spec);
    expect(s.find('Service', 'es').metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'elasticsearch' });
  });

  test('equal to the service name, it adds nothing', () => {
    expect(
      synthProject(stack)
        .all('Service')
        .map((o) => o.metadata.name),
    ).toEqual(['elasticsearch', 'es', 'logstash']);
  });

  test('explain names the Service it became', () => {
    const key = synthProject(stack)
      .chart.service('elasticsearch')
      .explanations.find((k) => k.key === 'container_name');
    expect(key).toMatchObject({ key: 'container_name', status: 'translated', objects: ['Service/es'], fields: [] });
  });

  test('a name that is not a DNS label is reachable by its sanitized form, and the user is told', () => {
    const s = synthProject('services:\n  proxy:\n    image: nginx\n    container_name: app_proxy\n');
    expect(s.find('Service', 'app-proxy')).toBeDefined();
    expect(s.warnings()).toContain(
      'services.proxy.container_name: container_name "app_proxy" is reachable as "app-proxy" in the cluster (Service names are DNS labels)',
    );
  });

  test("another service's name keeps its meaning", () => {
    const s = synthProject('services:\n  db:\n    image: postgres\n  app:\n    image: x\n    container_name: db\n');
    expect(s.find('Service', 'db').spec.selector['app.kubernetes.io/name']).toBe('db');
    expect(s.warnings()).toContain(
      'services.app.container_name: container_name "db" is the name of service "db": it keeps that meaning',
    );
  });

  test('with more than one replica is an error, as docker compose says', () => {
    expect(
      loadErrors('services:\n  app:\n    image: x\n    container_name: web\n    deploy: { replicas: 2 }\n'),
    ).toEqual([
      'compose.yaml:4:5: services.app.container_name: container_name "web" with 2 replicas: container name must be unique (docker compose refuses it); remove container_name or run one replica',
    ]);
  });

  test('twice in one project is an error', () => {
    expect(
      loadErrors(
        'services:\n  a:\n    image: x\n    container_name: web\n  b:\n    image: x\n    container_name: web\n',
      ),
    ).toEqual([
      'compose.yaml:7:5: services.b.container_name: container_name "web" is also the container name of "a": container name must be unique',
    ]);
  });
});

describe('network aliases', () => {
  test('an alias shared by two services belongs to the first: one Service cannot select both', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    networks: { default: { aliases: [search] } }\n  b:\n    image: x\n    networks: { default: { aliases: [search] } }\n',
    );
    expect(s.find('Service', 'search').spec.selector['app.kubernetes.io/name']).toBe('a');
    expect(s.warnings()).toContain(
      'services.b.networks.default.aliases: alias "search" is already a name of service "a": one Service cannot select both',
    );
  });
});
