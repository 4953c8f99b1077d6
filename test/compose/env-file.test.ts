import { parseEnvFile } from '../../lib/compose';

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
