/**
 * Compose file format v1 (services at the top level) loads as its v2 twin, with a deprecation
 * warning, and every message still points at the text as written.
 */
import { loadProject } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { loadErrors, loadWarnings, projectFrom, tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const V1 = `web:
  build: ./web
  dockerfile: Dockerfile.prod
  ports: ["8080:80"]
  links: [db]
  net: bridge
  log_driver: json-file
  log_opt:
    max-size: 10m
db:
  image: postgres:16
  environment: { POSTGRES_PASSWORD: example }
  volumes: ["pgdata:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro"]
  volume_driver: local
agent:
  image: datadog/agent
  net: host
`;

const V2 = `services:
  web:
    build: { context: ./web, dockerfile: Dockerfile.prod }
    ports: ["8080:80"]
    links: [db]
    logging: { driver: json-file, options: { max-size: 10m } }
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: example }
    volumes: ["pgdata:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro"]
  agent:
    image: datadog/agent
    network_mode: host
volumes:
  pgdata: { driver: local }
`;

const V1_WARNING =
  'Compose file format v1 (services at the top level, no "services:") is deprecated: read as if its services were under "services:"';

describe('Compose file format v1', () => {
  test('converts to the same objects as its v2 twin', () => {
    const dir = tempProject({ 'web/Dockerfile.prod': 'FROM nginx\n', 'init/schema.sql': 'create table t (id int);\n' });
    const v1 = synthProject(V1, { workingDir: dir });
    const v2 = synthProject(V2, { workingDir: dir });
    expect(v1.objects.length).toBeGreaterThan(5);
    expect(v1.objects).toEqual(v2.objects);
    expect(v1.chart.project.services.web.build).toEqual(v2.chart.project.services.web.build);
    expect(v1.chart.project.volumes).toEqual({
      pgdata: expect.objectContaining({ name: 'pgdata', driver: 'local' }),
    });
  });

  test('loads with a deprecation warning at the first service', () => {
    const dir = tempProject({ 'web/Dockerfile.prod': 'FROM nginx\n' });
    expect(loadWarnings(V1, { workingDir: dir })).toContain(`compose.yaml:1:1: ${V1_WARNING}`);
  });

  test('positions keep pointing at the text as written', () => {
    expect(loadErrors('web:\n  image: nginx\n  ports:\n    - "abc:80"\n')).toEqual([
      'compose.yaml:4:7: services.web.ports[0]: "abc:80" is not a valid port',
    ]);
    // `net` is read as network_mode: its error is at the `net` key.
    expect(loadErrors('web:\n  image: nginx\n  net: service:vpn\n')).toEqual([
      'compose.yaml:3:3: services.web.network_mode: network_mode refers to undefined service "vpn"',
    ]);
    // `log_opt` is read as logging.options.
    expect(loadErrors('web:\n  image: nginx\n  log_driver: json-file\n  log_opt: 5\n')).toEqual([
      'compose.yaml:4:3: services.web.logging.options: must be a mapping, not 5',
    ]);
    expect(loadErrors('web:\n  image: nginx\ndb:\n  image: postgres\n  prots: ["5432"]\n')).toEqual([
      'compose.yaml:5:3: services.db.prots: unknown key "prots" (did you mean "ports"?)',
    ]);
  });

  test('volumes_from and links stay as written, reported as Compose keys', () => {
    const project = projectFrom(
      'data:\n  image: busybox\napp:\n  image: nginx\n  volumes_from: [data]\n  links: ["data:store"]\n',
    );
    expect(project.services.app.unmodeled).toEqual({ volumes_from: ['data'], links: ['data:store'] });
  });

  test('a v1 base and a v1 override merge as two v2 files do', () => {
    const dir = tempProject({
      'docker-compose.yml': 'web:\n  image: nginx\n  ports: ["80:80"]\n',
      'docker-compose.override.yml': 'web:\n  environment: { DEBUG: "1" }\n',
    });
    const result = loadProject({ workingDir: dir, environment: {} });
    expect(result.ok && result.project.services.web.environment).toEqual({ DEBUG: '1' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `docker-compose.yml:1:1: ${V1_WARNING}`,
      `docker-compose.override.yml:1:1: ${V1_WARNING}`,
    ]);
  });

  test('not v1: a file with a version of 2 or more, or only top-level Compose keys', () => {
    expect(loadErrors('version: "2"\nweb:\n  image: nginx\n')).toEqual(['compose.yaml:2:1: web: unknown key "web"']);
    const dir = tempProject({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    volumes: [data:/data]\n',
      'volumes.yaml': 'volumes:\n  data: { driver: local }\n',
    });
    const result = loadProject({ workingDir: dir, files: ['compose.yaml', 'volumes.yaml'], environment: {} });
    expect(result.diagnostics).toEqual([]);
  });
});
