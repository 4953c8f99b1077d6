/**
 * Text explain fits the terminal: tables share the width among their columns, long cells
 * continue under their column, and no line is longer than the width but for a word with nowhere
 * to break that is longer than its column.
 */
import { fitColumns, table, wrap, wrapLine } from '../../lib/cli/text-table';
import { cli, project } from './run';

const longest = (lines: readonly string[]) => Math.max(...lines.map((l) => l.length));

describe('wrap', () => {
  test('breaks at spaces, every line within the width, no text lost', () => {
    const text = 'a ReadWriteOnce claim needs their pods on one node (true on kind and minikube)';
    const lines = wrap(text, 20);
    expect(longest(lines)).toBeLessThanOrEqual(20);
    expect(lines.join(' ')).toBe(text);
  });

  test('a word longer than the line breaks after . / , - and the like, not inside a name part', () => {
    expect(wrap('Deployment/web: spec.template.spec.containers[0].image', 24)).toEqual([
      'Deployment/web: spec.',
      'template.spec.',
      'containers[0].image',
    ]);
  });

  test('a word with nowhere to break stays whole, alone on its line', () => {
    expect(wrap('see sha256:0123456789abcdef0123456789abcdef here', 12)).toEqual([
      'see sha256:',
      '0123456789abcdef0123456789abcdef',
      'here',
    ]);
  });

  test('wrapLine: continuation lines hang under the line, indented', () => {
    expect(wrapLine('  loading: compose.yaml:3: variable "TAG" is not set, defaulting to a blank string', 40)).toEqual([
      '  loading: compose.yaml:3: variable',
      '      "TAG" is not set, defaulting to a',
      '      blank string',
    ]);
  });
});

describe('fitColumns', () => {
  test('columns that fit keep their width', () => {
    expect(fitColumns([10, 10, 30, 20], 80)).toEqual([10, 10, 30, 20]);
  });

  test('the widest share what the narrow ones leave', () => {
    expect(fitColumns([10, 10, 200, 3000], 72)).toEqual([10, 10, 26, 26]);
  });

  test('a column is not narrowed below its longest unbreakable piece', () => {
    expect(fitColumns([10, 10, 200, 3000], 72, [5, 10, 22, 8])).toEqual([10, 10, 26, 26]);
    expect(fitColumns([10, 10, 200, 3000], 72, [5, 10, 30, 8])).toEqual([10, 10, 30, 22]);
  });

  test('unless those pieces alone are wider than the budget: then they share it', () => {
    expect(fitColumns([14, 7, 60, 300], 52, [8, 7, 22, 15])).toEqual([10, 7, 20, 15]);
  });
});

test('table: cells continue on the lines below, under their column', () => {
  const lines = table(
    [
      ['KEY', 'STATUS', 'NOTE'],
      ['volumes.data', 'partial', 'a ReadWriteOnce claim needs their pods on one node'],
    ],
    { indent: '  ', width: 40 },
  );
  expect(lines).toEqual([
    '  KEY           STATUS   NOTE',
    '  volumes.data  partial  a ReadWriteOnce',
    '                         claim needs',
    '                         their pods on',
    '                         one node',
  ]);
});

/** Two services with long names sharing a volume: the volume's note names both (303 characters). */
const WIDE = `services:
  reporting-service-that-renders-the-quarterly-statements:
    image: busybox:1.36
    volumes: [shared:/data]
  ingestion-service-that-collects-the-quarterly-statements:
    image: busybox:1.36
    volumes: [shared:/data]
volumes:
  shared:
`;

describe('explain', () => {
  test('--width 80: no line over 80, and the long note whole in its column', async () => {
    const dir = project({ 'compose.yaml': WIDE });
    const note = JSON.parse((await cli(['explain', '--format', 'json'], { cwd: dir })).stdout).projectKeys[0]
      .note as string;
    expect(note.length).toBeGreaterThan(200);
    const run = await cli(['explain', '--width', '80'], { cwd: dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(longest(lines)).toBeLessThanOrEqual(80);
    // The note column of the project's table, read back: the note, broken only where lines end.
    const header = lines.indexOf('project') + 1;
    const column = lines[header].indexOf('NOTE');
    const end = lines.findIndex((l) => l.startsWith('  volumes.shared: '));
    const cells = lines.slice(header + 1, end).map((l) => l.slice(column));
    expect(cells.length).toBeGreaterThan(5);
    expect(cells.join('').replace(/\s/g, '')).toBe(note.replace(/\s/g, ''));
  });

  test('fits the terminal, and 100 columns when stdout is not one', async () => {
    const dir = project({ 'compose.yaml': WIDE });
    const onTerminal = await cli(['explain'], { cwd: dir, isTTY: true, columns: 70, env: { NO_COLOR: '1' } });
    expect(longest(onTerminal.stdout.split('\n'))).toBeLessThanOrEqual(70);
    const piped = (await cli(['explain'], { cwd: dir })).stdout.split('\n');
    expect(longest(piped)).toBeLessThanOrEqual(100);
    expect(longest(piped)).toBeGreaterThan(80);
  });

  test('--width takes a positive whole number, or is a usage error', async () => {
    const run = await cli(['explain', '--width', 'wide'], { cwd: project({ 'compose.yaml': WIDE }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option '--width <columns>' argument 'wide' is invalid");
  });
});
