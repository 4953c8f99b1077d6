/**
 * Loads a seed stack's Compose files the same way on every machine: the interpolation
 * environment is fixed here instead of read from process.env, so `cdk8s synth` and the
 * snapshots do not change with the shell they run in. Values the stacks need (passwords...)
 * come from each stack's own `.env`, as under Compose.
 */
import { loadProjectOrThrow } from '../lib/compose';
import type { ComposeProject } from '../lib/compose/model';
import { stackDir } from './paths';

export const SEED_ENVIRONMENT: Readonly<Record<string, string>> = {};

export interface SeedLoadOptions {
  readonly profiles?: readonly string[];
  /** Variables a variant sets on top of SEED_ENVIRONMENT, as `VAR=value docker compose up` would. */
  readonly environment?: Readonly<Record<string, string>>;
}

export function loadSeedProject(
  stack: string,
  files: readonly string[],
  options: SeedLoadOptions = {},
): ComposeProject {
  return loadProjectOrThrow({
    workingDir: stackDir(stack),
    files: [...files],
    profiles: [...(options.profiles ?? [])],
    environment: { ...SEED_ENVIRONMENT, ...options.environment },
  });
}
