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

/**
 * Diagrams laid out by earlier runs, by layout key, for writers whose output directory does not
 * survive between runs (the cdk8s CLI empties it before each synth). `composeStackFiles` looks a
 * diagram up here when the stack directory has none, and hands back every diagram it used.
 */
export interface LayoutStore {
  get(key: string): string | undefined;
  set(key: string, svg: string): void;
}

/**
 * A LayoutStore in one JSON file, read at once. `save()` writes it again (atomically) only when
 * the run used other diagrams than it holds, so it keeps what the last run drew and no more.
 */
export function layoutFile(file: string): LayoutStore & { save(): void } {
  const stored = new Map<string, string>();
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [key, svg] of Object.entries(parsed)) if (typeof svg === 'string') stored.set(key, svg);
    }
  } catch {
    // none yet, or unreadable: every diagram is laid out
  }
  const used = new Map<string, string>();
  return {
    get: (key) => stored.get(key),
    set: (key, svg) => void used.set(key, svg),
    save() {
      if (used.size === stored.size && [...used].every(([key, svg]) => stored.get(key) === svg)) return;
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(used)));
        fs.renameSync(tmp, file);
      } catch {
        // a cache: a read-only folder costs the next run its layouts, not its output
      }
    },
  };
}
