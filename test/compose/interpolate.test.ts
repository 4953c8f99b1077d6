import { interpolateString } from '../../lib/compose';
import { loadWarnings, projectFrom, tempProject } from '../support/project';

const env = { HOST: 'db', EMPTY: '', PORT: '5432' };
const value = (text: string) => interpolateString(text, env).value;

describe('interpolation, as Compose does it', () => {
  test.each([
    ['$HOST:$PORT', 'db:5432'],
    ['${HOST}', 'db'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${HOST:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${MISSING:-${HOST}}', 'db'],
    ['$$HOST', '$HOST'],
    ['price: $ 5', 'price: $ 5'],
  ])('%s -> %s', (text, expected) => expect(value(text)).toBe(expected));

  test('${VAR:?message} and ${VAR?message} fail with the variable and the message', () => {
    expect(interpolateString('${MISSING:?set it}', env).error).toBe(
      'required variable MISSING is missing a value: set it',
    );
    expect(interpolateString('${EMPTY:?}', env).error).toBe('required variable EMPTY is missing a value');
    expect(interpolateString('${EMPTY?}', env).error).toBeUndefined();
  });

  test('an unset variable is blank, with a warning naming it', () => {
    expect(projectFrom('services:\n  web:\n    image: nginx:${TAG}\n').services.web.image).toBe('nginx:');
    expect(loadWarnings('services:\n  web:\n    image: nginx:${TAG}\n')).toEqual([
      'compose.yaml:3:5: services.web.image: variable "TAG" is not set, defaulting to a blank string',
    ]);
  });

  test('the shell environment wins over .env, which wins over defaults', () => {
    const dir = tempProject({ '.env': 'TAG=from-dotenv\nPORT=8080\n' });
    const project = projectFrom('services:\n  web:\n    image: nginx:${TAG}\n    ports: ["${PORT}:80"]\n', {
      workingDir: dir,
      environment: { TAG: 'from-shell' },
    });
    expect(project.services.web.image).toBe('nginx:from-shell');
    expect(project.services.web.ports[0].published).toBe(8080);
  });

  test('--env-file replaces .env', () => {
    const dir = tempProject({ '.env': 'TAG=dotenv\n', 'prod.env': 'TAG=prod\n' });
    const project = projectFrom('services:\n  web:\n    image: nginx:${TAG}\n', {
      workingDir: dir,
      envFiles: [`${dir}/prod.env`],
    });
    expect(project.services.web.image).toBe('nginx:prod');
  });

  test('keys are not interpolated, values are', () => {
    const project = projectFrom('services:\n  web:\n    image: nginx\n    environment:\n      ${KEY}: ${HOST}\n', {
      environment: { HOST: 'db' },
    });
    expect(project.services.web.environment).toEqual({ '${KEY}': 'db' });
  });

  test('$$ in a healthcheck reaches the shell as $', () => {
    const project = projectFrom(
      'services:\n  db:\n    image: postgres\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER}"]\n',
    );
    expect(project.services.db.healthcheck?.test).toEqual({ kind: 'shell', script: 'pg_isready -U ${POSTGRES_USER}' });
  });
});
