/**
 * diagram.svg is laid out once per graph: writing the stack again with the same services takes
 * the diagram already in the directory, and a changed graph is drawn again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
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
