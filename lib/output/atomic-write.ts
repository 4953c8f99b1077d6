/**
 * Writes a stack directory all at once: files go to a sibling temporary directory which then
 * replaces the target with renames, so a failed or interrupted run never leaves a half-written
 * or deleted output directory behind.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Present in every directory compose-cdk8s writes; only such directories are ever replaced. */
export const OUTPUT_MARKER = '.compose-cdk8s';
/** The marker's first line; a writer may add lines of its own (lib/diagram/layout-cache.ts). */
export const OUTPUT_MARKER_TEXT = 'Written by compose-cdk8s; safe to delete.\n';

export interface OutputFile {
  readonly content: string;
  /** Executable scripts get 0o755. */
  readonly executable?: boolean;
}

export class UnsafeOutputDirectoryError extends Error {}

/** A directory may be replaced when it is absent, empty, or was written by compose-cdk8s. */
export function assertReplaceable(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const stat = fs.statSync(dir);
  if (!stat.isDirectory()) throw new UnsafeOutputDirectoryError(`${dir} exists and is not a directory`);
  const entries = fs.readdirSync(dir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new UnsafeOutputDirectoryError(
      `${dir} is not empty and was not written by compose-cdk8s; refusing to replace it (choose another -o)`,
    );
  }
}

export function writeDirectoryAtomically(dir: string, files: ReadonlyMap<string, OutputFile>): void {
  const target = path.resolve(dir);
  assertReplaceable(target);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const [relative, file] of files) {
      const full = path.join(staging, relative);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content, { mode: file.executable ? 0o755 : 0o644 });
    }
    if (!files.has(OUTPUT_MARKER)) fs.writeFileSync(path.join(staging, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    swapIn(staging, target);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Old directory aside, new one in, old one removed: the target is never missing for long, and never partial. */
function swapIn(staging: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  const retired = `${staging}.old`;
  fs.renameSync(target, retired);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    fs.renameSync(retired, target);
    throw error;
  }
  fs.rmSync(retired, { recursive: true, force: true });
}
