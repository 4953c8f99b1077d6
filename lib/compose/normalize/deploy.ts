/**
 * The Swarm parts of `deploy` (placement, update_config, endpoint_mode) and the device requests
 * of `deploy.resources.reservations.devices` and `gpus`, in one canonical form: numbers as
 * numbers, durations in milliseconds, `count: -1` as `all`.
 */
import type { SourceLocation } from '../diagnostics';
import type { DeviceRequest, Placement, UpdateConfig } from '../model';
import { childPath } from '../parse';
import {
  isRecord,
  optionalNumber,
  scalarText,
  stringList,
  stringMap,
  type Json,
  type NormalizeContext,
  normalizeDuration as duration,
} from './context';

type Locate = (path: string) => SourceLocation | undefined;

/** A whole number >= 0 (numbers and numeric strings, as Compose reads them), reported otherwise. */
function count(value: unknown, ctx: NormalizeContext, p: string, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = optionalNumber(value);
  if (n === undefined || n < 0 || !Number.isInteger(n)) {
    ctx.report(p, `"${scalarText(value)}" is not ${what}`, 'invalid-deploy');
    return undefined;
  }
  return n;
}

export function normalizePlacement(value: unknown, ctx: NormalizeContext, p: string, locate: Locate): Placement {
  const placement: Json = isRecord(value) ? value : {};
  const cp = childPath(p, 'constraints');
  // Items keep their index: findings name them as written (`constraints[1]`).
  const constraints = Array.isArray(placement.constraints)
    ? placement.constraints.map((c, i) => ({ expression: scalarText(c), location: locate(childPath(cp, i)) }))
    : [];
  const preferences = Array.isArray(placement.preferences)
    ? placement.preferences.map((pref) =>
        isRecord(pref) && pref.spread !== undefined && pref.spread !== null ? scalarText(pref.spread) : undefined,
      )
    : [];
  return {
    constraints,
    preferences,
    maxReplicasPerNode: count(
      placement.max_replicas_per_node,
      ctx,
      childPath(p, 'max_replicas_per_node'),
      'a number of replicas per node',
    ),
  };
}

export function normalizeUpdateConfig(value: unknown, ctx: NormalizeContext, p: string): UpdateConfig | undefined {
  if (!isRecord(value)) return undefined;
  const ratio = value.max_failure_ratio;
  const maxFailureRatio = ratio === undefined || ratio === null ? undefined : optionalNumber(ratio);
  if (ratio !== undefined && ratio !== null && (maxFailureRatio === undefined || maxFailureRatio < 0))
    ctx.report(childPath(p, 'max_failure_ratio'), `"${scalarText(ratio)}" is not a failure ratio`, 'invalid-deploy');
  const order = value.order === 'start-first' || value.order === 'stop-first' ? value.order : undefined;
  return {
    parallelism: count(value.parallelism, ctx, childPath(p, 'parallelism'), 'a number of containers'),
    ...(order ? { order } : {}),
    delayMs: duration(value.delay, ctx, childPath(p, 'delay')),
    monitorMs: duration(value.monitor, ctx, childPath(p, 'monitor')),
    failureAction: typeof value.failure_action === 'string' ? value.failure_action : undefined,
    maxFailureRatio,
  };
}

/** `count`: a number, or `all` (Docker's -1); anything else is reported. */
function deviceCount(value: unknown, ctx: NormalizeContext, p: string): number | 'all' | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'all') return 'all';
  const n = optionalNumber(value);
  if (n === -1) return 'all';
  if (n === undefined || n < 0 || !Number.isInteger(n)) {
    ctx.report(p, `"${scalarText(value)}" is not a number of devices or "all"`, 'invalid-device');
    return undefined;
  }
  return n;
}

function deviceRequest(item: unknown, ctx: NormalizeContext, p: string): DeviceRequest {
  const d: Json = isRecord(item) ? item : {};
  return {
    ...(typeof d.driver === 'string' ? { driver: d.driver } : {}),
    ...(d.count !== undefined && d.count !== null ? { count: deviceCount(d.count, ctx, childPath(p, 'count')) } : {}),
    deviceIds: stringList(d.device_ids),
    capabilities: stringList(d.capabilities),
    options: stringMap(d.options),
  };
}

export function normalizeDevices(value: unknown, ctx: NormalizeContext, p: string): DeviceRequest[] {
  return Array.isArray(value) ? value.map((item, i) => deviceRequest(item, ctx, childPath(p, i))) : [];
}

/** `gpus: all`, or a list of requests. */
export function normalizeGpus(value: unknown, ctx: NormalizeContext, p: string): 'all' | DeviceRequest[] | undefined {
  if (value === 'all') return 'all';
  return Array.isArray(value) ? normalizeDevices(value, ctx, p) : undefined;
}
