/**
 * The package's own directory, found from this file whether it runs from the sources (lib/) or
 * compiled (build/lib/): schemas and package.json are read from there at run time.
 */
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'compose-cdk8s'
    ) {
      cached = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`compose-cdk8s: package.json not found above ${__dirname}`);
  }
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
