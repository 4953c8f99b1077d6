import { synthProject } from '../support/synth';
import { tempProject } from '../support/project';

describe('environment and secrets', () => {
  test('plain values are inline env; sensitive ones go to a Secret and are referenced', () => {
    const s = synthProject(
      'services:\n  api:\n    image: x\n    environment:\n      LOG_LEVEL: info\n      DB_PASSWORD: hunter2\n      DATABASE_URL: postgres://u:p@db:5432/app\n',
    );
    expect(s.container('api').env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'api-env', key: 'DATABASE_URL' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-env', key: 'DB_PASSWORD' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(s.find('Secret', 'api-env').data).toEqual({
      DATABASE_URL: Buffer.from('postgres://u:p@db:5432/app').toString('base64'),
      DB_PASSWORD: Buffer.from('hunter2').toString('base64'),
    });
    expect(JSON.stringify(s.objects)).not.toContain('hunter2');
  });

  test.each([
    ['SUPABASE_KEY', 'eyJhbGciOi'],
    ['KEY', 'abc'],
    ['JWT_PRIVATE_KEY', '-----BEGIN'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '{"type":"service_account"}'],
    ['SMTP_CREDENTIALS', 'user:pass'],
  ])('%s is sensitive: it goes to the Secret', (key, value) => {
    const s = synthProject(`services:\n  api:\n    image: x\n    environment:\n      ${key}: '${value}'\n`);
    expect(s.container('api').env).toEqual([{ name: key, valueFrom: { secretKeyRef: { name: 'api-env', key } } }]);
  });

  test('a *_FILE variable holding a path is not a secret: the image reads the secret from that file', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n      API_KEY_FILE: ./keys/api\n      MONKEY: banana\n',
    );
    expect(s.container('db').env).toEqual([
      { name: 'API_KEY_FILE', value: './keys/api' },
      { name: 'MONKEY', value: 'banana' },
      { name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/db_password' },
    ]);
    expect(s.objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  test("env_file values go to the file's ConfigMap and Secret with envFrom; environment wins over them (env over envFrom)", () => {
    const dir = tempProject({ 'api.env': 'APP_ENV=staging\nLOG_LEVEL=debug\nSESSION_SECRET=abc\n' });
    const s = synthProject(
      'services:\n  api:\n    image: x\n    env_file: api.env\n    environment:\n      LOG_LEVEL: warn\n',
      { workingDir: dir },
    );
    expect(s.find('ConfigMap', 'api.env').data).toEqual({ APP_ENV: 'staging', LOG_LEVEL: 'debug' });
    expect(s.find('Secret', 'api.env').data).toEqual({ SESSION_SECRET: Buffer.from('abc').toString('base64') });
    expect(s.container('api').envFrom).toEqual([
      { configMapRef: { name: 'api.env' } },
      { secretRef: { name: 'api.env' } },
    ]);
    expect(s.container('api').env).toEqual([{ name: 'LOG_LEVEL', value: 'warn' }]);
  });

  test('an env file several services use is one ConfigMap and one Secret they all load, in file order', () => {
    const dir = tempProject({ 'common.env': 'REGION=eu\nDB_PASS=pw-common-1\n', 'api.env': 'REGION=us\n' });
    const s = synthProject(
      [
        'services:',
        '  api:',
        '    image: x',
        '    env_file: [common.env, api.env]',
        '  worker:',
        '    image: x',
        '    env_file: common.env',
        '  cron:',
        '    image: x',
        '    env_file: common.env',
        '',
      ].join('\n'),
      { workingDir: dir },
    );
    expect(s.all('ConfigMap').map((o) => o.metadata.name)).toEqual(['common.env', 'api.env']);
    expect(s.all('Secret').map((o) => o.metadata.name)).toEqual(['common.env']);
    const common = [{ configMapRef: { name: 'common.env' } }, { secretRef: { name: 'common.env' } }];
    expect(s.container('worker').envFrom).toEqual(common);
    expect(s.container('cron').envFrom).toEqual(common);
    // The later file wins, as in Compose: the last envFrom source does in Kubernetes.
    expect(s.container('api').envFrom).toEqual([...common, { configMapRef: { name: 'api.env' } }]);
  });

  test('Compose secrets and configs are mounted from a Secret and a ConfigMap at their targets', () => {
    const dir = tempProject({ 'db_password.txt': 's3cret' });
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    secrets: [db_password]\n    configs:\n      - source: pg_conf\n        target: /etc/postgresql/postgresql.conf\nsecrets:\n  db_password: { file: ./db_password.txt }\nconfigs:\n  pg_conf: { content: "max_connections = 50" }\n',
      { workingDir: dir },
    );
    expect(s.find('Secret', 'db-password').data).toEqual({ db_password: Buffer.from('s3cret').toString('base64') });
    expect(s.find('ConfigMap', 'pg-conf').data).toEqual({ pg_conf: 'max_connections = 50' });
    expect(s.container('db').volumeMounts).toEqual([
      { name: 'secret-db-password', mountPath: '/run/secrets/db_password', readOnly: true, subPath: 'db_password' },
      { name: 'config-pg-conf', mountPath: '/etc/postgresql/postgresql.conf', readOnly: true, subPath: 'pg_conf' },
    ]);
  });

  test('an external secret is referenced, and the user is told to create it', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    secrets: [token]\nsecrets:\n  token: { external: true }\n',
    );
    expect(s.pod('a').volumes[0]).toEqual({ name: 'secret-token', secret: { secretName: 'token' } });
    expect(s.warnings()).toContain(
      'secrets.token: create the Secret before applying: kubectl create secret generic token --from-file=token=<file>; its content is not in the output, so changing it restarts no pod: kubectl rollout restart the services using it',
    );
  });
});
