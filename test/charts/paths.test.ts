import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, stackDir } from '../../charts/paths';

describe('finding a seed stack folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'seed-paths-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'charts', 'demo'), { recursive: true });
  const compiled = join(root, 'build', 'charts', 'demo');
  mkdirSync(compiled, { recursive: true });

  test('walks up from a compiled location to the folder with package.json', () => {
    expect(packageRoot(compiled)).toBe(root);
    expect(stackDir('demo', compiled)).toBe(join(root, 'charts', 'demo'));
  });

  test('a stack that does not exist is an error, not a wrong path', () => {
    expect(() => stackDir('missing', compiled)).toThrow(/missing does not exist/);
  });

  test('finds the real seed stacks from the source tree', () => {
    expect(stackDir('story-12-1')).toBe(join(packageRoot(), 'charts', 'story-12-1'));
  });
});
