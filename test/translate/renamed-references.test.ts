/**
 * A service whose Compose name is no DNS label (`plausible_db`) is `plausible-db` in the cluster,
 * and nothing can make the old name resolve there. So where the stack itself connects to it (its
 * variables, env files, commands, healthchecks, hooks, mounted configuration files and configs)
 * the old name is rewritten, each place listed at file:line[:col]; where the same word is a
 * database, a user or a path, it stays.
 */
import { mentions, rewriteHosts, type HostRename } from '../../lib/translate/host-references';
import * as os from 'os';
import { sandboxTest } from '../support/cluster-dns';
import { conversionFiles, projectNames, secretLeaks } from '../support/secret-leaks';
import { kubernetesExpand } from '../support/kubernetes-expand';
import { tempProject } from '../support/project';
import { synthProject, type Synthesized } from '../support/synth';

const PLAUSIBLE_DB: HostRename = { from: 'plausible_db', to: 'plausible-db' };
const rewrite = (text: string, variable?: string) =>
  rewriteHosts(text, mentions(text, [PLAUSIBLE_DB], variable !== undefined ? { variable } : {}));
const keptReasons = (text: string, variable?: string) =>
  mentions(text, [PLAUSIBLE_DB], variable !== undefined ? { variable } : {}).map((m) => m.kept);

describe('host positions: only where the text connects to the name is it rewritten', () => {
  test.each([
    [
      'the host of a URL, after its user and password',
      'postgres://u:p@plausible_db:5432/x',
      'postgres://u:p@plausible-db:5432/x',
    ],
    ['the host of a URL without a port', 'http://plausible_db/health', 'http://plausible-db/health'],
    ['host:port anywhere', 'wait-for plausible_db:5432 -- run', 'wait-for plausible-db:5432 -- run'],
    [
      'host and port as nc -z writes them',
      'until nc -z plausible_db 5432; do sleep 1; done',
      'until nc -z plausible-db 5432; do sleep 1; done',
    ],
    ['the operand of -h', 'pg_isready -U postgres -h plausible_db', 'pg_isready -U postgres -h plausible-db'],
    ['the operand of --host=', 'mongosh --host=plausible_db', 'mongosh --host=plausible-db'],
    ['a host key of a connection string', 'host=plausible_db port=5432', 'host=plausible-db port=5432'],
    ['a host key in ADO.NET style', 'Server=plausible_db;Database=x', 'Server=plausible-db;Database=x'],
    ['a host key in YAML', 'redis:\n  host: plausible_db\n', 'redis:\n  host: plausible-db\n'],
    ['a host key in JSON', '{"db_host": "plausible_db"}', '{"db_host": "plausible-db"}'],
    ['a host key in properties', 'spring.redis.host=plausible_db', 'spring.redis.host=plausible-db'],
    ['a host constant in PHP', "define('DB_HOST', 'plausible_db');", "define('DB_HOST', 'plausible-db');"],
    ['a host element in XML', '<host>plausible_db</host>', '<host>plausible-db</host>'],
    ['an item of a host list', 'seeds: a-1, plausible_db', 'seeds: a-1, plausible-db'],
    [
      'an item of a YAML host list',
      'seed_hosts:\n  - a-1\n  - plausible_db\n',
      'seed_hosts:\n  - a-1\n  - plausible-db\n',
    ],
    [
      'the default of a host variable in shell',
      'psql -h "${PGHOST:-plausible_db}"',
      'psql -h "${PGHOST:-plausible-db}"',
    ],
    ['the operand of dig', 'dig +short plausible_db', 'dig +short plausible-db'],
    [
      "nginx's upstream and server",
      'upstream plausible_db { server plausible_db; }',
      'upstream plausible-db { server plausible-db; }',
    ],
    [
      'ping and getent hosts',
      'ping -c 1 plausible_db && getent hosts plausible_db',
      'ping -c 1 plausible-db && getent hosts plausible-db',
    ],
    ['written in other case (Docker DNS ignores case)', 'PLAUSIBLE_DB:5432', 'plausible-db:5432'],
  ])('%s', (_, text, expected) => {
    expect(rewrite(text)).toBe(expected);
  });

  test.each([
    ['DB_HOST', 'a variable naming a host'],
    ['PGHOST', 'a host variable written as one word'],
    ['REDIS', 'a variable whose name says nothing else'],
  ])('the whole value of %s (%s)', (variable) => {
    expect(rewrite('plausible_db', variable)).toBe('plausible-db');
  });

  test('the database after the port keeps its name: it is a database, not a host', () => {
    const url = 'postgres://postgres:postgres@plausible_db:5432/plausible_db';
    expect(rewrite(url, 'DATABASE_URL')).toBe('postgres://postgres:postgres@plausible-db:5432/plausible_db');
    expect(keptReasons(url, 'DATABASE_URL')).toEqual([undefined, 'a path (after "/"), such as a database name']);
  });

  test.each([
    ['POSTGRES_DB', 'POSTGRES_DB names something other than a host'],
    ['PGDATABASE', 'PGDATABASE names something other than a host'],
    ['MYSQL_USER', 'MYSQL_USER names something other than a host'],
    ['POSTGRES_PASSWORD', 'POSTGRES_PASSWORD names something other than a host'],
    ['RABBITMQ_DEFAULT_VHOST', 'RABBITMQ_DEFAULT_VHOST names something other than a host'],
  ])('the whole value of %s stays', (variable, reason) => {
    expect(rewrite('plausible_db', variable)).toBe('plausible_db');
    expect(keptReasons('plausible_db', variable)).toEqual([reason]);
  });

  test.each([
    ['the database of a libpq string', 'host=x dbname=plausible_db user=plausible_db'],
    ['the user of a URL', 'postgres://plausible_db:pw@db:5432/x'],
    ['the database in ADO.NET style', 'Server=x;Database=plausible_db'],
    ['the database of pg_isready -d', 'pg_isready -h x -d plausible_db'],
    ['an operand of createdb', 'createdb plausible_db'],
    ['an operand before a redirection', 'createdb plausible_db 2>/dev/null || true'],
    ['an item of a YAML list of databases', 'databases:\n  - plausible_db\n'],
    ['a path', 'pg_dump -f /backups/plausible_db/dump.sql'],
    ["nginx's server_name", 'server_name plausible_db;'],
    ['a word of a sentence', 'echo starting plausible_db'],
  ])('%s stays', (_, text) => {
    expect(rewrite(text)).toBe(text);
  });

  test.each([
    ['a longer name it begins', 'plausible_db_backup:5432'],
    ['a longer name it ends', 'postgres://u:p@old_plausible_db:5432/x'],
    ['a longer name joined by a dash', 'plausible_db-2:5432'],
    ['a domain it is the first label of', 'http://plausible_db.example.com/'],
    ['a domain it ends', 'http://www.plausible_db/'],
    ['a file name', 'psql -h x < plausible_db.sql'],
  ])('inside %s it is no occurrence at all', (_, text) => {
    expect(mentions(text, [PLAUSIBLE_DB])).toEqual([]);
  });
});

const decoded = (s: Synthesized, kind: 'Secret' | 'ConfigMap', name: string): Record<string, string> => {
  const data = s.find(kind, name).data ?? {};
  return kind === 'ConfigMap'
    ? data
    : Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
};
const envValue = (s: Synthesized, service: string, name: string) =>
  s.container(service).env.find((e: { name: string }) => e.name === name);
const renameWarning = (s: Synthesized, service: string) =>
  s.chart.diagnostics.find((d) => d.code === 'renamed-service' && d.service === service)?.message ?? '';

describe('a renamed service: the variables that connect to it', () => {
  const dir = tempProject({
    'app.env':
      'REDIS_URL=redis://plausible_db:6379/0\nAPI_TOKEN=t0k3n-t0k3n-t0k3n\nCACHE_DSN=redis://:pw@plausible_db:6379\n',
  });
  const s = synthProject(
    `services:
  plausible_db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
      POSTGRES_DB: plausible_db
  plausible:
    image: plausible
    env_file: app.env
    environment:
      DB_HOST: plausible_db
      DATABASE_URL: postgres://postgres:postgres@plausible_db:5432/plausible_db
`,
    { workingDir: dir },
  );

  test('environment: plain values in the pod spec, the database name kept', () => {
    expect(envValue(s, 'plausible', 'DB_HOST')).toEqual({ name: 'DB_HOST', value: 'plausible-db' });
    expect(envValue(s, 'plausible-db', 'POSTGRES_DB')).toEqual({ name: 'POSTGRES_DB', value: 'plausible_db' });
  });

  test('environment: a secret value is rewritten inside its Secret, and stays there', () => {
    expect(decoded(s, 'Secret', 'plausible-env')).toEqual({
      DATABASE_URL: 'postgres://postgres:postgres@plausible-db:5432/plausible_db',
    });
    expect(JSON.stringify(s.find('Deployment', 'plausible'))).not.toContain('postgres:postgres@');
  });

  test("env_file: rewritten in the file's own ConfigMap and Secret", () => {
    expect(decoded(s, 'ConfigMap', 'app.env')).toEqual({ REDIS_URL: 'redis://plausible-db:6379/0' });
    expect(decoded(s, 'Secret', 'app.env')).toEqual({
      API_TOKEN: 't0k3n-t0k3n-t0k3n',
      CACHE_DSN: 'redis://:pw@plausible-db:6379',
    });
  });

  test('the warning lists every place, rewritten or kept, at file:line[:col], in file order', () => {
    expect(renameWarning(s, 'plausible_db')).toBe(
      'service "plausible_db" is named "plausible-db" in Kubernetes (names must be DNS labels): address it by that name' +
        '; where the stack connects to "plausible_db" it now says "plausible-db": ' +
        'app.env:1 (REDIS_URL), app.env:3 (CACHE_DSN), ' +
        'compose.yaml:11:16 (plausible environment.DB_HOST), compose.yaml:12:21 (plausible environment.DATABASE_URL)' +
        '; "plausible_db" left as written where it is not a host name: ' +
        'compose.yaml:6:20 (plausible_db environment.POSTGRES_DB: POSTGRES_DB names something other than a host), ' +
        'compose.yaml:12:21 (plausible environment.DATABASE_URL: a path (after "/"), such as a database name)' +
        '; names inside images (their default settings) cannot be seen from here and are not rewritten',
    );
  });

  test('explain notes each place under the key that holds it', () => {
    const row = (service: string, key: string) =>
      s.chart.service(service).explanations.find((e) => e.key === key)?.note ?? '';
    expect(row('plausible', 'environment')).toContain(
      'environment.DB_HOST: "plausible_db" is a host name here (compose.yaml:11:16): written "plausible-db", the name its Service has',
    );
    expect(row('plausible', 'env_file')).toContain(
      '"plausible_db" is a host name here (app.env:1): written "plausible-db", the name its Service has',
    );
    expect(row('plausible_db', 'environment')).toContain(
      'environment.POSTGRES_DB: "plausible_db" left as written (compose.yaml:6:20): POSTGRES_DB names something other than a host',
    );
  });
});

describe('a renamed service: commands, healthchecks and hooks that connect to it', () => {
  const s = synthProject(`services:
  plausible_db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready", "-h", "plausible_db", "-d", "plausible_db"]
  web:
    image: plausible
    entrypoint: ["/wait", "plausible_db:5432", "--"]
    command: sh -c "until nc -z plausible_db 5432; do sleep 1; done; exec run"
    healthcheck:
      test: ["CMD-SHELL", "psql -h plausible_db -c 'select 1' plausible_db"]
    post_start:
      - command: ["ping", "-c", "1", "plausible_db"]
`);

  test('each command says the new name where it connects, the database name kept', () => {
    expect(s.container('plausible-db').readinessProbe.exec.command).toEqual([
      'pg_isready',
      '-h',
      'plausible-db',
      '-d',
      'plausible_db',
    ]);
    expect(s.container('web').command).toEqual(['/wait', 'plausible-db:5432', '--']);
    expect(s.container('web').args).toEqual(['sh', '-c', 'until nc -z plausible-db 5432; do sleep 1; done; exec run']);
    expect(s.container('web').readinessProbe.exec.command).toEqual([
      '/bin/sh',
      '-c',
      "psql -h plausible-db -c 'select 1' plausible_db",
    ]);
    expect(s.container('web').lifecycle.postStart.exec.command).toEqual(['ping', '-c', '1', 'plausible-db']);
  });

  test('listed at the item (a list) or the value (a string) that holds it', () => {
    const warning = renameWarning(s, 'plausible_db');
    expect(warning).toContain(
      'it now says "plausible-db": compose.yaml:5:41 (plausible_db healthcheck.test), ' +
        'compose.yaml:8:27 (web entrypoint), compose.yaml:9:14 (web command), compose.yaml:11:27 (web healthcheck.test), ' +
        'compose.yaml:13:38 (web post_start[0].command)',
    );
    expect(warning).toContain('compose.yaml:5:63 (plausible_db healthcheck.test: not where a host name is written)');
  });
});

describe('a renamed service: files that become ConfigMaps', () => {
  const dir = tempProject({
    'nginx/default.conf': 'server {\n  location / {\n    proxy_pass http://plausible_app:8000;\n  }\n}\n',
    'conf.d/db.ini': '[db]\nhost = plausible_app\nname = plausible_app\n',
    'pgbouncer.ini': '[databases]\nplausible_app = host=plausible_app port=5432 dbname=plausible_app\n',
    'src/app.py': 'DB = "postgres://u:p@plausible_app:5432/x"\n',
    'src/package.json': '{}\n',
  });
  const s = synthProject(
    `services:
  plausible_app:
    image: app
    volumes:
      - ./src:/app
  proxy:
    image: nginx
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
      - ./conf.d:/etc/app/conf.d:ro
    configs:
      - pgbouncer
      - inline
configs:
  pgbouncer:
    file: ./pgbouncer.ini
  inline:
    content: |
      [upstream]
      server plausible_app:8000
`,
    { workingDir: dir },
  );

  test('a mounted file and a mounted directory: the ConfigMap holds the new name', () => {
    expect(decoded(s, 'ConfigMap', 'proxy-etc-nginx-conf-d-default-conf')).toEqual({
      'default.conf': 'server {\n  location / {\n    proxy_pass http://plausible-app:8000;\n  }\n}\n',
    });
    expect(decoded(s, 'ConfigMap', 'proxy-etc-app-conf-d')).toEqual({
      'db.ini': '[db]\nhost = plausible-app\nname = plausible_app\n',
    });
  });

  test("configs: a file's and inline content, the pgbouncer alias and dbname kept", () => {
    expect(decoded(s, 'ConfigMap', 'pgbouncer')).toEqual({
      pgbouncer: '[databases]\nplausible_app = host=plausible-app port=5432 dbname=plausible_app\n',
    });
    expect(decoded(s, 'ConfigMap', 'inline')).toEqual({ inline: '[upstream]\nserver plausible-app:8000\n' });
  });

  test('each place is listed at its line and column in the file', () => {
    const warning = renameWarning(s, 'plausible_app');
    expect(warning).toContain(
      'it now says "plausible-app": compose.yaml:18:5 (configs inline (line 2 of the value)), ' +
        'conf.d/db.ini:2:8 (mounted by proxy at /etc/app/conf.d), ' +
        'nginx/default.conf:3:23 (mounted by proxy at /etc/nginx/conf.d/default.conf), ' +
        'pgbouncer.ini:2:22 (configs pgbouncer)',
    );
    expect(warning).toContain(
      'conf.d/db.ini:3:8 (mounted by proxy at /etc/app/conf.d: name names something other than a host)',
    );
    expect(warning).toContain('pgbouncer.ini:2:1 (configs pgbouncer: not where a host name is written)');
  });

  test('code mounted from the node is not rewritten, and the warning says where it still connects', () => {
    expect(s.all('ConfigMap').map((c) => c.metadata.name)).not.toContain('plausible-app-app');
    expect(renameWarning(s, 'plausible_app')).toContain(
      'src/app.py:1:22 (mounted by plausible_app at /app: not rewritten: the file is not copied into the manifests (code or data, mounted as it is))',
    );
  });
});

test('a file two services mount: one object, rewritten once, listed once with both', () => {
  const dir = tempProject({ 'shared/app.ini': '[db]\nhost = plausible_db\n' });
  const s = synthProject(
    `services:
  plausible_db:
    image: postgres
  web:
    image: x
    volumes: ["./shared/app.ini:/etc/app.ini:ro"]
  worker:
    image: x
    volumes: ["./shared/app.ini:/etc/worker/app.ini:ro"]
`,
    { workingDir: dir },
  );
  expect(decoded(s, 'ConfigMap', 'file-shared-app.ini')).toEqual({ 'app.ini': '[db]\nhost = plausible-db\n' });
  expect(renameWarning(s, 'plausible_db')).toContain(
    'it now says "plausible-db": shared/app.ini:2:8 (mounted by web at /etc/app.ini, mounted by worker at /etc/worker/app.ini);',
  );
});

describe('a renamed service: secret values', () => {
  const dir = tempProject({
    'db_url.txt': 'postgres://app:s3cr3t-pw@plausible_db:5432/app\n',
    'conf/app.secret.env': 'DATABASE_URL=postgres://app:s3cr3t-pw@plausible_db:5432/app\n',
  });
  const s = synthProject(
    `services:
  plausible_db:
    image: postgres
  app:
    image: x
    environment:
      DATABASE_URL_FILE: /run/secrets/db_url
    secrets: [db_url]
    volumes:
      - ./conf/app.secret.env:/app/.env:ro
secrets:
  db_url:
    file: ./db_url.txt
`,
    { workingDir: dir },
  );

  test('a secret file and a mounted secret-looking file are rewritten inside their Secrets', () => {
    expect(decoded(s, 'Secret', 'db-url')).toEqual({ db_url: 'postgres://app:s3cr3t-pw@plausible-db:5432/app\n' });
    expect(decoded(s, 'Secret', 'app-app-env')).toEqual({
      'app.secret.env': 'DATABASE_URL=postgres://app:s3cr3t-pw@plausible-db:5432/app\n',
    });
    expect(renameWarning(s, 'plausible_db')).toContain(
      'conf/app.secret.env:1:39 (mounted by app at /app/.env), db_url.txt:1:26 (secrets db_url)',
    );
  });

  test('no secret value reaches a manifest, the warnings or explain', () => {
    expect(secretLeaks(conversionFiles(s.chart, os.tmpdir()), projectNames(s.chart)).leaks).toEqual([]);
    expect(JSON.stringify(s.chart.diagnostics)).not.toContain('s3cr3t');
  });
});

describe('what is not rewritten', () => {
  test("another service whose name begins with the renamed one's keeps its own name (renamed on its own)", () => {
    const s = synthProject(`services:
  plausible_db:
    image: postgres
  plausible_db_backup:
    image: backup
  app:
    image: x
    environment:
      BACKUP_URL: http://plausible_db_backup:8080/
      DB_URL: postgres://plausible_db:5432/plausible_db_backup
`);
    expect(envValue(s, 'app', 'BACKUP_URL').value).toBe('http://plausible-db-backup:8080/');
    expect(envValue(s, 'app', 'DB_URL').value).toBe('postgres://plausible-db:5432/plausible_db_backup');
  });

  test('a name that differs only in case: DNS ignores case, nothing is rewritten', () => {
    const s = synthProject(
      'services:\n  Web:\n    image: nginx\n  app:\n    image: x\n    environment:\n      URL: http://Web:80/\n',
    );
    expect(envValue(s, 'app', 'URL').value).toBe('http://Web:80/');
    expect(renameWarning(s, 'Web')).toBe(
      'service "Web" is named "web" in Kubernetes (names must be DNS labels): address it by that name',
    );
  });

  test('a service that waits for the renamed one but names it nowhere: its image may, and the warning says what to do', () => {
    const s = synthProject(`services:
  plausible_db:
    image: postgres
  plausible:
    image: ghcr.io/plausible/community-edition
    depends_on: [plausible_db]
`);
    expect(renameWarning(s, 'plausible_db')).toBe(
      'service "plausible_db" is named "plausible-db" in Kubernetes (names must be DNS labels): address it by that name' +
        "; plausible depends on it but names it in no variable, command or mounted file: its image's own defaults cannot be seen from here and are not rewritten" +
        '; if they connect to "plausible_db", set the variable the image reads the host from in environment, with "plausible-db"',
    );
  });
});

describe('container_name and network aliases that are no DNS labels', () => {
  test('container_name: its uses as a host say the Service it became, listed in its warning', () => {
    const s = synthProject(`services:
  proxy:
    image: nginx
    container_name: app_proxy
  app:
    image: x
    environment:
      PROXY_URL: http://app_proxy:8080
`);
    expect(envValue(s, 'app', 'PROXY_URL').value).toBe('http://app-proxy:8080');
    expect(s.warnings()).toContain(
      'services.proxy.container_name: container_name "app_proxy" is reachable as "app-proxy" in the cluster (Service names are DNS labels)' +
        '; where the stack connects to "app_proxy" it now says "app-proxy": compose.yaml:8:18 (app environment.PROXY_URL)',
    );
  });

  test('an alias: the same', () => {
    const s = synthProject(`services:
  search:
    image: elasticsearch
    networks:
      default:
        aliases: [es_node]
  app:
    image: x
    command: ["curl", "http://es_node:9200/"]
`);
    expect(s.container('app').args).toEqual(['curl', 'http://es-node:9200/']);
    expect(s.warnings()).toContain(
      'services.search.networks.default.aliases: alias "es_node" is reachable as "es-node" in the cluster (Service names are DNS labels)' +
        '; where the stack connects to "es_node" it now says "es-node": compose.yaml:9:23 (app command)',
    );
  });

  test('an alias that another service owns is not rewritten: the name leads to that service', () => {
    const s = synthProject(`services:
  es_node:
    image: elasticsearch
  other:
    image: x
    networks:
      default:
        aliases: [es.node]
  app:
    image: x
    environment:
      A: http://es.node:9200/
`);
    expect(envValue(s, 'app', 'A').value).toBe('http://es.node:9200/');
  });
});

describe('run for real under cluster DNS', () => {
  const NS = 'shop';
  const s = synthProject(`services:
  plausible_db:
    image: postgres
    expose: ["5432"]
  web:
    image: x
    command: sh -c "until nc -z -w 1 plausible_db 5432; do sleep 1; done; echo up"
`);
  const cluster = {
    namespace: NS,
    records: { [`plausible-db.${NS}.svc.cluster.local`]: '127.0.0.3' },
    listeners: [{ ip: '127.0.0.3', port: 5432 }],
  };

  sandboxTest(
    'the rewritten wait reaches the Service and ends',
    async ({ run }) => {
      const r = await run(kubernetesExpand(s.container('web').args[2]), cluster);
      expect(r.timedOut).toBe(false);
      expect(r.stdout).toBe('up\n');
    },
    ['nc -z'],
  );

  sandboxTest(
    'the wait as Compose wrote it never ends: "plausible_db" resolves nowhere',
    async ({ run }) => {
      const r = await run('until nc -z -w 1 plausible_db 5432; do sleep 1; done; echo up', cluster, {
        timeoutMs: 4000,
      });
      expect(r.timedOut).toBe(true);
    },
    ['nc -z'],
  );
});
