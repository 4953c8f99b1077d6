/** Which variables go to a Secret: a name, a value, or the same value kept secret elsewhere. */
import { secretNameWord, secretValueKind } from '../../lib/translate/secret-values';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

describe('a name is secret when a secret word stands in it, in any position or spelling', () => {
  test.each([
    ['PG_PASS', 'PASS'],
    ['_APP_DB_PASS', 'PASS'],
    ['_APP_OPENSSL_KEY_V1', 'KEY'],
    ['MAILDEV_INCOMING_PASS', 'PASS'],
    ['REDIS_AUTH', 'AUTH'],
    ['SALT', 'SALT'],
    ['MYSQL_ROOT_PWD', 'PWD'],
    ['dbPassword', 'PASSWORD'],
    ['DBPASSWORD', 'PASSWORD'],
    ['GITHUB_TOKEN', 'TOKEN'],
    ['APISECRET', 'SECRET'],
    ['SENTRY_DSN', 'DSN'],
    ['JWT_ISSUER', 'JWT'],
    ['SESSION_COOKIE_NAME', 'COOKIE'],
    ['SIGNING_ALG', 'SIGNING'],
    ['TLS_CERT_KEY', 'KEY'],
    ['AWS_CREDENTIALS', 'CREDENTIALS'],
    ['PRIVATE_REPO', 'PRIVATE'],
  ])('%s (%s)', (name, word) => {
    expect(secretNameWord(name)).toBe(word);
  });

  test.each(['KEYCLOAK_URL', 'PASSENGER_COUNT', 'AUTHOR', 'NODE_ENV', 'DB_HOST', 'MONKEY'])('%s is not', (name) => {
    expect(secretNameWord(name)).toBeUndefined();
  });
});

test('URLs and connection strings with a password are secret whatever their name', () => {
  expect(secretValueKind('postgres://u:p@db/x')).toBe('a URL with a password');
  expect(secretValueKind('redis://:p@cache:6379/0')).toBe('a URL with a password');
  expect(secretValueKind('Server=db;User Id=sa;Password=Str0ng!;')).toBe('a connection string with a password');
  expect(secretValueKind('host=db user=app password=s3cret')).toBe('a connection string with a password');
  expect(secretValueKind('postgres://db/x')).toBeUndefined();
  expect(secretValueKind('https://example.com/a:b')).toBeUndefined();
});

const envOf = (s: ReturnType<typeof synthProject>, service: string) =>
  Object.fromEntries(
    (s.container(service).env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [
      e.name,
      e.value ?? 'from Secret',
    ]),
  );

test('a value kept secret anywhere is secret everywhere, except values no one keeps secret', () => {
  const s = synthProject(
    [
      'services:',
      '  db:',
      '    image: postgres:16',
      '    environment: { POSTGRES_PASSWORD: hunter2hunter2, POSTGRES_PORT: "5432", POSTGRES_SSL: "true" }',
      '  api:',
      '    image: api',
      '    environment: { DB_CONN_PARAM: hunter2hunter2, PORT_NUMBER: "5432", SSL: "true" }',
      '',
    ].join('\n'),
  );
  expect(envOf(s, 'api')).toEqual({ DB_CONN_PARAM: 'from Secret', PORT_NUMBER: '5432', SSL: 'true' });
  expect(s.chart.service('api').explanations.find((k) => k.key === 'environment')?.note).toContain(
    "DB_CONN_PARAM is in Secret api-env: its value is also db's POSTGRES_PASSWORD, a secret",
  );
  expect(JSON.stringify(s.all('ConfigMap'))).not.toContain('hunter2');
});

test('an env_file value under a name the rules miss follows the secret it equals into a Secret, never a ConfigMap', () => {
  const dir = tempProject({ '.env.app': 'PG_HOST=db\nPG_ALT=Zx9-long-value\n' });
  const s = synthProject(
    [
      'name: shop',
      'services:',
      '  db:',
      '    image: postgres:16',
      '    environment: { POSTGRES_PASSWORD: Zx9-long-value }',
      '  api:',
      '    image: api',
      '    env_file: .env.app',
      '',
    ].join('\n'),
    { workingDir: dir },
  );
  expect(s.find('ConfigMap', 'shop.env.app').data).toEqual({ PG_HOST: 'db' });
  expect(Object.keys(s.find('Secret', 'shop.env.app').data ?? {})).toEqual(['PG_ALT']);
});

test('x-k8s.env forces a variable either way, and is checked like the other x-k8s keys', () => {
  const s = synthProject(
    [
      'services:',
      '  api:',
      '    image: api',
      '    environment: { LICENSE: abcd-efgh-ijkl, TOKEN_TTL: "3600" }',
      '    x-k8s:',
      '      env: { secret: [LICENSE], plain: [TOKEN_TTL] }',
      '',
    ].join('\n'),
  );
  expect(envOf(s, 'api')).toEqual({ LICENSE: 'from Secret', TOKEN_TTL: '3600' });
  expect(() => synthProject('services:\n  api:\n    image: api\n    x-k8s:\n      env: { secret: LICENSE }\n')).toThrow(
    /x-k8s.env.secret: must be a list/,
  );
});
