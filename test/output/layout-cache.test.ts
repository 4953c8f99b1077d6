/**
 * diagram.svg is laid out once per graph: writing the stack again with the same services takes
 * the diagram already in the directory (or in a layout file, when the directory is gone), and a
 * changed graph is drawn again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { layoutFile } from '../../lib/diagram/layout-cache';
import { OUTPUT_MARKER } from '../../lib/output/atomic-write';
import { writeStack } from '../../lib/output/stack';
import { projectFrom } from '../support/project';

const stack = (extra = '') =>
  new ComposeChart(Testing.app(), 'shop', {
    project: projectFrom(
      `name: shop\nservices:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    environment: { MODE: a }\n${extra}`,
    ),
  });

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

test('the same graph takes the diagram already written; another graph is drawn again', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'layout-')), 'shop');
  await writeStack(stack(), dir);
  const drawn = read(dir, 'diagram.svg');
  expect(drawn).toContain('<svg');
  expect(read(dir, OUTPUT_MARKER)).toMatch(
    /^Written by compose-cdk8s; safe to delete.\ndiagram.svg lays out [0-9a-f]{64}\n$/,
  );

  // Marked so the test sees which was written: the one in the directory, or a new layout.
  fs.writeFileSync(path.join(dir, 'diagram.svg'), `${drawn}<!-- kept -->\n`);
  await writeStack(stack(), dir);
  expect(read(dir, 'diagram.svg')).toBe(`${drawn}<!-- kept -->\n`);

  await writeStack(stack('  cache:\n    image: redis\n'), dir);
  expect(read(dir, 'diagram.svg')).not.toContain('<!-- kept -->');
  expect(read(dir, 'diagram.svg')).toContain('>cache</text>');
});

test('a layout file keeps the diagrams of the last run, and is written only when they changed', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-file-'));
  const file = path.join(tmp, 'layouts.json');
  const dir = path.join(tmp, 'out', 'shop');

  const first = layoutFile(file);
  await writeStack(stack(), dir, { layouts: first });
  first.save();
  const drawn = read(dir, 'diagram.svg');
  const [key] = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ [key]: drawn });

  // The directory is gone (as the cdk8s CLI empties its output): the diagram comes from the file.
  fs.rmSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ [key]: `${drawn}<!-- kept -->\n` }));
  const before = fs.statSync(file).mtimeMs;
  const second = layoutFile(file);
  await writeStack(stack(), dir, { layouts: second });
  second.save();
  expect(read(dir, 'diagram.svg')).toBe(`${drawn}<!-- kept -->\n`);
  expect(fs.statSync(file).mtimeMs).toBe(before);

  // Another graph: drawn, and the file holds its diagram only.
  fs.rmSync(dir, { recursive: true });
  const third = layoutFile(file);
  await writeStack(stack('  cache:\n    image: redis\n'), dir, { layouts: third });
  third.save();
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  expect(Object.values(stored)).toEqual([read(dir, 'diagram.svg')]);
  expect(Object.keys(stored)).not.toContain(key);
  fs.rmSync(tmp, { recursive: true, force: true });
});
