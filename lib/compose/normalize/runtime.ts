/** How a service runs: healthcheck, deploy (with the legacy keys folded in), restart. */
import type { SourceLocation } from '../diagnostics';
import type { Deploy, Healthcheck, ResourceValues, RestartPolicy } from '../model';
import { normalizeDevices, normalizePlacement, normalizeUpdateConfig } from './deploy';
import { parseByteSize } from '../units';
import { childPath } from '../parse';
import {
  isRecord,
  normalizeDuration,
  optionalNumber,
  scalarText,
  stringList,
  stringMap,
  truthy,
  type Json,
  type NormalizeContext,
} from './context';

function size(value: unknown, ctx: NormalizeContext, p: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const bytes = parseByteSize(typeof value === 'number' ? value : scalarText(value));
  if (bytes === undefined) ctx.report(p, `"${scalarText(value)}" is not a valid size (e.g. 512m, 1g)`, 'invalid-size');
  return bytes;
}

export { size as normalizeSize, normalizeDuration };
const duration = normalizeDuration;

export function normalizeHealthcheck(
  value: unknown,
  ctx: NormalizeContext,
  p: string,
): { healthcheck?: Healthcheck; disabled: boolean } {
  if (!isRecord(value)) return { disabled: false };
  if (truthy(value.disable)) return { disabled: true };
  const test = value.test;
  let parsed: Healthcheck['test'];
  if (typeof test === 'string') {
    parsed = { kind: 'shell', script: test };
  } else if (Array.isArray(test)) {
    const [first, ...rest] = stringList(test);
    if (first === 'NONE') return { disabled: true };
    if (first === 'CMD' || first === 'CMD-EXEC') parsed = { kind: 'exec', argv: rest };
    else if (first === 'CMD-SHELL') parsed = { kind: 'shell', script: rest.join(' ') };
    else {
      ctx.report(
        childPath(p, 'test'),
        `a healthcheck test list starts with "CMD", "CMD-SHELL" or "NONE", not ${JSON.stringify(first)}`,
        'invalid-healthcheck',
      );
      return { disabled: false };
    }
    if (
      (parsed.kind === 'exec' && parsed.argv.length === 0) ||
      (parsed.kind === 'shell' && parsed.script.trim() === '')
    ) {
      ctx.report(childPath(p, 'test'), 'the healthcheck test has no command', 'invalid-healthcheck');
      return { disabled: false };
    }
  }
  const retries = value.retries === undefined ? undefined : optionalNumber(value.retries);
  if (value.retries !== undefined && (retries === undefined || retries < 0)) {
    ctx.report(
      childPath(p, 'retries'),
      `"${scalarText(value.retries)}" is not a valid number of retries`,
      'invalid-healthcheck',
    );
  }
  return {
    disabled: false,
    healthcheck: {
      test: parsed,
      intervalMs: duration(value.interval, ctx, childPath(p, 'interval')),
      timeoutMs: duration(value.timeout, ctx, childPath(p, 'timeout')),
      retries,
      startPeriodMs: duration(value.start_period, ctx, childPath(p, 'start_period')),
      startIntervalMs: duration(value.start_interval, ctx, childPath(p, 'start_interval')),
    },
  };
}

function cpus(value: unknown, ctx: NormalizeContext, p: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = optionalNumber(value);
  // No machine has a million CPUs: such a value is a typo, and it would not survive as a quantity.
  if (n === undefined || n < 0 || n > 1_000_000) {
    ctx.report(p, `"${scalarText(value)}" is not a number of CPUs`, 'invalid-cpus');
    return undefined;
  }
  return n;
}

function resourceValues(value: unknown, ctx: NormalizeContext, p: string): ResourceValues {
  if (!isRecord(value)) return {};
  return {
    cpus: cpus(value.cpus, ctx, childPath(p, 'cpus')),
    memoryBytes: size(value.memory, ctx, childPath(p, 'memory')),
    pids: optionalNumber(value.pids),
  };
}

const defined = (v: ResourceValues): ResourceValues =>
  Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as ResourceValues;

export function normalizeDeploy(
  service: Json,
  ctx: NormalizeContext,
  p: string,
  locate: (path: string) => SourceLocation | undefined = () => undefined,
): Deploy {
  const deploy = isRecord(service.deploy) ? service.deploy : {};
  const dp = childPath(p, 'deploy');
  const resources = isRecord(deploy.resources) ? deploy.resources : {};
  const limits = defined(resourceValues(resources.limits, ctx, childPath(childPath(dp, 'resources'), 'limits')));
  const reservations = defined(
    resourceValues(resources.reservations, ctx, childPath(childPath(dp, 'resources'), 'reservations')),
  );
  const legacyLimits = defined({
    cpus: cpus(service.cpus, ctx, childPath(p, 'cpus')),
    memoryBytes: size(service.mem_limit, ctx, childPath(p, 'mem_limit')),
    pids: optionalNumber(service.pids_limit),
  });
  const legacyReservations = defined({
    memoryBytes: size(service.mem_reservation, ctx, childPath(p, 'mem_reservation')),
  });
  const restart = isRecord(deploy.restart_policy) ? deploy.restart_policy : undefined;
  const replicas = optionalNumber(deploy.replicas) ?? optionalNumber(service.scale);
  if (replicas !== undefined && (replicas < 0 || !Number.isInteger(replicas))) {
    ctx.report(childPath(dp, 'replicas'), `"${replicas}" is not a number of replicas`, 'invalid-replicas');
  }
  const mode = typeof deploy.mode === 'string' ? deploy.mode : undefined;
  return {
    replicas,
    mode: mode as Deploy['mode'],
    resources: { limits: { ...legacyLimits, ...limits }, reservations: { ...legacyReservations, ...reservations } },
    restartPolicy: restart
      ? {
          condition: restart.condition as 'none' | 'on-failure' | 'any' | undefined,
          maxAttempts: optionalNumber(restart.max_attempts),
          delayMs: duration(restart.delay, ctx, childPath(childPath(dp, 'restart_policy'), 'delay')),
        }
      : undefined,
    labels: stringMap(deploy.labels),
    endpointMode: typeof deploy.endpoint_mode === 'string' ? deploy.endpoint_mode : undefined,
    placement: normalizePlacement(deploy.placement, ctx, childPath(dp, 'placement'), locate),
    updateConfig: normalizeUpdateConfig(deploy.update_config, ctx, childPath(dp, 'update_config')),
    devices: normalizeDevices(
      isRecord(resources.reservations) ? resources.reservations.devices : undefined,
      ctx,
      childPath(childPath(childPath(dp, 'resources'), 'reservations'), 'devices'),
    ),
  };
}

export function normalizeRestart(value: unknown, ctx: NormalizeContext, p: string): RestartPolicy | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  if (text === 'no' || text === 'false') return { kind: 'no' };
  if (text === 'always' || text === 'unless-stopped') return { kind: text };
  const m = /^on-failure(?::(\d+))?$/.exec(text);
  if (m) return { kind: 'on-failure', maxRetries: m[1] === undefined ? undefined : Number(m[1]) };
  ctx.report(p, `"${text}" is not a restart policy (no, always, on-failure[:N], unless-stopped)`, 'invalid-restart');
  return undefined;
}
