/**
 * Colors are for people at a terminal: every command colors its output there, and none does with
 * --no-color (after the command's name or before it), with NO_COLOR set, or when stdout is not a terminal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, project, SHOP, type RunOptions } from './run';

const ESC = '\u001b[';

const BAD_SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\nspec:\n  ports: [{port: 80}]\n  selector: {app: x}\n';

/** Each command, run where its output has something to color, and its exit code there. */
const COMMANDS: readonly (readonly [string, readonly string[], number])[] = [
  ['convert', ['convert', '--stdout'], 0], // the summary's warnings (db's logging is dropped)
  ['explain', ['explain'], 0], // the `dropped` status of db's logging
  ['validate', ['validate', 'bad.yaml'], 1], // the message of an error
];

async function run(args: readonly string[], options: Omit<RunOptions, 'cwd'>) {
  const dir = project({ 'compose.yaml': SHOP, 'api/Dockerfile': 'FROM python:3.12\n' });
  fs.writeFileSync(path.join(dir, 'bad.yaml'), BAD_SERVICE);
  return cli(args, { cwd: dir, ...options });
}

describe.each(COMMANDS)('%s', (_, args, code) => {
  const output = async (argv: readonly string[], options: Omit<RunOptions, 'cwd'>) => {
    const result = await run(argv, options);
    expect(result.code).toBe(code);
    return result.stdout + result.stderr;
  };

  test('colors on a terminal', async () => {
    expect(await output(args, { isTTY: true })).toContain(ESC);
  });

  test('--no-color after the command, or before it: no escape code', async () => {
    expect(await output([...args, '--no-color'], { isTTY: true })).not.toContain(ESC);
    expect(await output(['--no-color', ...args], { isTTY: true })).not.toContain(ESC);
  });

  test('NO_COLOR, or output that is not a terminal: no escape code', async () => {
    expect(await output(args, { isTTY: true, env: { NO_COLOR: '1' } })).not.toContain(ESC);
    expect(await output(args, { isTTY: false })).not.toContain(ESC);
  });
});

test('every command lists --no-color in its help', async () => {
  for (const [command] of COMMANDS) expect((await run([command, '--help'], {})).stdout).toMatch(/^\s+--no-color\s/m);
});
