/** The Compose loader: Compose files in, one normalized ComposeProject out. */
export * from './diagnostics';
export * from './model';
export { DEFAULT_LOAD_LIMITS, type LoadLimits } from './parse';
export {
  discoverFiles,
  loadProject,
  loadProjectFromString,
  loadProjectOrThrow,
  normalizeProjectName,
  type LoadOptions,
  type LoadResult,
} from './load';
export { parseByteSize, parseDuration } from './units';
export { parseEnvFile, parseRawEnvFile } from './env-file';
export { interpolateString } from './interpolate';
export type { IngressK8s, ServiceK8s, VolumeK8s } from './normalize/x-k8s';
