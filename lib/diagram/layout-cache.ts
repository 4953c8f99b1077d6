/**
 * diagram.svg is laid out again only when the graph changed. Laying it out (Graphviz in
 * WebAssembly) costs more than the rest of a convert of a small stack, and a stack is converted
 * again and again with the same services (an edit of an environment value, a CI run per commit):
 * the stack directory's marker file records the key of the DOT its diagram.svg was drawn from,
 * and a later write of the same DOT by the same versions takes that diagram.svg as it is.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../output/atomic-write';
import { packageRoot } from '../package-root';

const LAYOUT_PREFIX = 'diagram.svg lays out ';

let versions: string | undefined;

/** This package's version and the renderer's: a new release may draw the same DOT differently. */
function rendererVersions(): string {
  if (versions === undefined) {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
      dependencies?: Record<string, string>;
    };
    versions = `compose-cdk8s ${manifest.version}, @viz-js/viz ${manifest.dependencies?.['@viz-js/viz'] ?? '?'}`;
  }
  return versions;
}

export function layoutKey(dot: string): string {
  return createHash('sha256').update(rendererVersions()).update('\n').update(dot).digest('hex');
}

/** The marker file of a stack directory whose diagram.svg is the layout of `key`. */
export const markerWithLayout = (key: string): string => `${OUTPUT_MARKER_TEXT}${LAYOUT_PREFIX}${key}\n`;

function recordedLayout(stackDir: string): string | undefined {
  try {
    const marker = fs.readFileSync(path.join(stackDir, OUTPUT_MARKER), 'utf8');
    return marker
      .split('\n')
      .find((line) => line.startsWith(LAYOUT_PREFIX))
      ?.slice(LAYOUT_PREFIX.length);
  } catch {
    return undefined;
  }
}

/** Whether `stackDir` holds a diagram laid out before (the renderer may then not be needed). */
export const hasRecordedLayout = (stackDir: string): boolean => recordedLayout(stackDir) !== undefined;

/** The diagram.svg of `stackDir` when it was drawn from the DOT of `key`. */
export function reusableLayout(stackDir: string, key: string): string | undefined {
  if (recordedLayout(stackDir) !== key) return undefined;
  try {
    return fs.readFileSync(path.join(stackDir, 'diagram.svg'), 'utf8');
  } catch {
    return undefined;
  }
}
