/**
 * Where the seed stacks' Compose files are. Found by walking up to the package root rather than
 * relative to this file, so the same code works from `charts/` (ts-node, jest) and from the
 * compiled `build/charts/` (where the YAML files are not copied).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Absolute path of `charts/<stack>`, the folder holding that stack's Compose files. */
export function stackDir(stack: string, from?: string): string {
  const dir = join(packageRoot(from), 'charts', stack);
  if (!existsSync(dir)) throw new Error(`seed stack folder ${dir} does not exist`);
  return dir;
}
