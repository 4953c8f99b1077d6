/**
 * `healthcheck` -> probes. Readiness is what Compose's "healthy" means to the rest of the stack:
 * a Service only routes to ready pods, which is also how `service_healthy` gating works here (see
 * start-order.ts). Liveness is what "unhealthy" leads to: after `retries` failed checks the
 * container is restarted, as the stacks that run under Docker with an autoheal policy expect.
 * `start_period` becomes a startupProbe, so a slow starter is never killed while it starts: Docker
 * ignores failures during the start period, and only then counts `retries` of them.
 */
import type { ComposeService, Healthcheck } from '../compose/model';
import { escapeDollar } from './container';
import { dropped, note, type Finding } from './findings';
import type { WorkloadKind } from './workload';

/** Docker's defaults for what a healthcheck does not set. */
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
/** Docker's default `start_interval`: how often it checks during the start period. */
const DEFAULT_START_INTERVAL_MS = 5_000;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export interface HealthProbes {
  readonly readinessProbe?: Record<string, unknown>;
  readonly livenessProbe?: Record<string, unknown>;
  readonly startupProbe?: Record<string, unknown>;
  readonly findings: Finding[];
}

/** `x-k8s.liveness: false` keeps Docker's plain behaviour: an unhealthy container is never restarted. */
export function livenessOptOut(service: ComposeService): boolean {
  return service.k8s.liveness === false;
}

/**
 * How many failed startup checks, `period` apart, add up to what Docker tolerates before it
 * calls the container unhealthy: the whole start period, then `retries` checks `interval` apart.
 */
export function startupFailureThreshold(h: Healthcheck, periodSeconds: number): number {
  const interval = seconds(h.intervalMs ?? DEFAULT_INTERVAL_MS);
  const retries = Math.max(1, h.retries ?? DEFAULT_RETRIES);
  return Math.ceil((seconds(h.startPeriodMs ?? 0) + retries * interval) / periodSeconds);
}

export function healthProbes(service: ComposeService, workload: WorkloadKind): HealthProbes {
  const h = service.healthcheck;
  if (!h) return { findings: [] };
  if (!h.test) {
    return {
      findings: [
        dropped(
          'healthcheck',
          "no test given: the image's HEALTHCHECK cannot be read from here; add `test:` to get probes",
        ),
      ],
    };
  }
  const command = h.test.kind === 'exec' ? [...h.test.argv] : ['/bin/sh', '-c', h.test.script];
  const exec = { command: command.map(escapeDollar) };
  const periodSeconds = seconds(h.intervalMs ?? DEFAULT_INTERVAL_MS);
  const timeoutSeconds = seconds(h.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const failureThreshold = Math.max(1, h.retries ?? DEFAULT_RETRIES);
  const readinessProbe = { exec, periodSeconds, timeoutSeconds, failureThreshold };
  const findings: Finding[] = [];

  if (workload === 'Job') {
    findings.push(note('healthcheck', 'readinessProbe only: a one-shot Job container is not restarted when unhealthy'));
    return { readinessProbe, findings };
  }
  if (livenessOptOut(service)) {
    findings.push(
      note('healthcheck', 'readinessProbe only (x-k8s.liveness: false): an unhealthy container is not restarted'),
    );
    return { readinessProbe, findings };
  }
  const livenessProbe = { exec, periodSeconds, timeoutSeconds, failureThreshold };
  if (h.startPeriodMs === undefined || h.startPeriodMs === 0) return { readinessProbe, livenessProbe, findings };
  const startPeriodSeconds = Math.min(periodSeconds, seconds(h.startIntervalMs ?? DEFAULT_START_INTERVAL_MS));
  const startupProbe = {
    exec,
    periodSeconds: startPeriodSeconds,
    timeoutSeconds,
    failureThreshold: startupFailureThreshold(h, startPeriodSeconds),
  };
  return { readinessProbe, livenessProbe, startupProbe, findings };
}
