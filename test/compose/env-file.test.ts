import { loadProject, parseEnvFile } from '../../lib/compose';
import { parseRawEnvFile } from '../../lib/compose/env-file';
import { loadErrors, tempProject } from '../support/project';

describe('env files, in the format docker compose reads', () => {
  test('KEY=value, export, comments, quotes, inline comments and interpolation', () => {
    const file = [
      '# database',
      'export DB_HOST=db',
      'DB_PORT=5432 # default port',
      "GREETING='hello ${DB_HOST}'",
      'MULTI="line one\\nline two"',
      'URL=postgres://${DB_HOST}:${DB_PORT}/app',
      'EMPTY=',
      'SPANNING="first',
      'second"',
    ].join('\n');
    expect(parseEnvFile(file).values).toEqual({
      DB_HOST: 'db',
      DB_PORT: '5432',
      GREETING: 'hello ${DB_HOST}',
      MULTI: 'line one\nline two',
      URL: 'postgres://db:5432/app',
      EMPTY: '',
      SPANNING: 'first\nsecond',
    });
  });

  test('what compose-go also accepts: KEY: value, quotes spanning lines, \\$, keys with digits or any letters', () => {
    const file = [
      'YAML_STYLE: yes',
      "SINGLE='first",
      "second \\' \\n'",
      'DOLLAR="\\$HOME is ${HOME}"',
      'TAB=a\t#b',
      '1ST=one',
      'CLÉ=v',
      'LIST[0]=x',
      '=no key',
      'OCTAL="\\0101"',
    ].join('\n');
    expect(parseEnvFile(file, { HOME: '/home/me' })).toEqual({
      values: {
        YAML_STYLE: 'yes',
        SINGLE: "first\nsecond ' \\n",
        DOLLAR: '$HOME is /home/me',
        TAB: 'a\t#b',
        '1ST': 'one',
        CLÉ: 'v',
        'LIST[0]': 'x',
        OCTAL: 'A',
      },
      lines: { YAML_STYLE: 1, SINGLE: 2, DOLLAR: 4, TAB: 5, '1ST': 6, CLÉ: 7, 'LIST[0]': 8, OCTAL: 10 },
      problems: [],
    });
  });

  test('a key alone takes its value from the environment, and is skipped when unset there', () => {
    expect(parseEnvFile('TOKEN\nMISSING\n', { TOKEN: 'abc' }).values).toEqual({ TOKEN: 'abc' });
  });

  test('bad lines are reported with their line number', () => {
    expect(parseEnvFile('OK=1\nnot valid=2\nQ="open\n').problems).toEqual([
      { line: 2, message: '"not valid" is not a valid variable name' },
      { line: 3, message: 'unterminated double quote in the value of Q' },
    ]);
  });
});

describe('env_file with format: raw (docker run --env-file), as docker compose registers it', () => {
  test('values are taken as written: quotes, " #" and ${VAR} stay; a key alone is looked up', () => {
    const file = [
      '# comment',
      'QUOTED="a b"',
      "SINGLE='x'",
      'HASH=value # not a comment',
      'DOLLAR=${HOME}/$USER',
      'SPACES=  kept  ',
      '  INDENTED=1',
      'FROM_ENV',
      'UNSET',
    ].join('\n');
    expect(parseRawEnvFile(file, { FROM_ENV: 'yes', HOME: '/home/me' }).values).toEqual({
      QUOTED: '"a b"',
      SINGLE: "'x'",
      HASH: 'value # not a comment',
      DOLLAR: '${HOME}/$USER',
      SPACES: '  kept  ',
      INDENTED: '1',
      FROM_ENV: 'yes',
    });
  });

  test('a key with whitespace, or no key, is reported with its line', () => {
    expect(parseRawEnvFile('OK=1\nBAD KEY=2\n=3\n').problems).toEqual([
      { line: 2, message: 'variable "BAD KEY" contains whitespace' },
      { line: 3, message: 'no variable name on line "=3"' },
    ]);
  });

  test('a service reads it raw; the default format keeps quotes and ${VAR} handling', () => {
    const dir = tempProject({
      'app.env': 'PASSWORD="p#ss word"\nTEMPLATE=${NAME}-x\n',
      'compose.yaml': `services:
  raw:
    image: app
    env_file: [{ path: app.env, format: raw }]
  default:
    image: app
    env_file: app.env
`,
    });
    const result = loadProject({ workingDir: dir, environment: { NAME: 'n' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.project.services.raw.envFiles[0]).toMatchObject({
      format: 'raw',
      values: { PASSWORD: '"p#ss word"', TEMPLATE: '${NAME}-x' },
    });
    expect(result.project.services.default.envFiles[0].values).toEqual({ PASSWORD: 'p#ss word', TEMPLATE: 'n-x' });
    expect(result.project.services.default.envFiles[0].format).toBeUndefined();
  });

  test('any other format is an error, as in docker compose', () => {
    expect(
      loadErrors('services:\n  s:\n    image: app\n    env_file:\n      - path: app.env\n        format: json\n'),
    ).toEqual(['compose.yaml:6:9: services.s.env_file[0].format: unsupported env_file format "json" (only "raw")']);
  });
});

describe('what ${VAR} in an env_file sees, as compose-go resolves it', () => {
  test("the project's variables, then the service's environment, then the env files read before", () => {
    const dir = tempProject({
      'base.env': 'HOST=from-base\nPORT=1\n',
      'app.env': 'URL=postgres://${HOST}:${PORT}/${DB}\nTOKEN\n',
      'compose.yaml':
        'services:\n  s:\n    image: app\n    environment: { HOST: db, TOKEN: t }\n    env_file: [base.env, app.env]\n',
    });
    const result = loadProject({ workingDir: dir, environment: { DB: 'shop' } });
    expect(result.ok && result.project.services.s.envFiles[1].values).toEqual({
      URL: 'postgres://db:1/shop',
      TOKEN: 't',
    });
  });
});
