/**
 * `healthcheck` -> probes. Readiness is what Compose's "healthy" means to the rest of the stack:
 * a Service only routes to ready pods, which is also how `service_healthy` gating works here (see
 * start-order.ts). Liveness is what "unhealthy" leads to: after `retries` failed checks the
 * container is restarted, as the stacks that run under Docker with an autoheal policy expect.
 * `start_period` becomes a startupProbe, so a slow starter is never killed while it starts: Docker
 * ignores failures during the start period, and only then counts `retries` of them.
 * kompose's readiness labels describe the readinessProbe on their own; its liveness labels swap
 * the liveness (and startup) handler for an HTTP GET or TCP check.
 */
import type { ComposeService, Healthcheck } from '../compose/model';
import { escapeDollar } from './container';
import { dropped, note, type Finding } from './findings';
import type { KomposeOptions } from './kompose-labels';
import type { WorkloadKind } from './workload';
import { isRecord } from '../compose/merge';
import { container, each, part, translated, type KeyRules } from './key-rules';

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

/** The probe a healthcheck gives: its test as an exec handler, Docker's timings. */
function healthcheckProbe(h: Healthcheck | undefined): Record<string, unknown> | undefined {
  if (!h?.test) return undefined;
  const command = h.test.kind === 'exec' ? [...h.test.argv] : ['/bin/sh', '-c', h.test.script];
  return {
    exec: { command: command.map(escapeDollar) },
    periodSeconds: seconds(h.intervalMs ?? DEFAULT_INTERVAL_MS),
    timeoutSeconds: seconds(h.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    failureThreshold: Math.max(1, h.retries ?? DEFAULT_RETRIES),
  };
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket'];
const LIVENESS_LABELS = 'kompose.service.healthcheck.liveness.';
const READINESS_LABELS = 'kompose.service.healthcheck.readiness.';
const withoutHandler = (probe: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(probe).filter(([k]) => !HANDLERS.includes(k)));
const dockerTimings = {
  periodSeconds: seconds(DEFAULT_INTERVAL_MS),
  timeoutSeconds: seconds(DEFAULT_TIMEOUT_MS),
  failureThreshold: DEFAULT_RETRIES,
};

/**
 * kompose's readiness labels: the probe they describe, with the healthcheck's handler and timings
 * for what they leave out. Undefined with a finding when there is nothing to probe with.
 */
function readinessFromLabels(
  service: ComposeService,
  readiness: NonNullable<KomposeOptions['readiness']>,
  base: Record<string, unknown> | undefined,
  findings: Finding[],
): Record<string, unknown> | undefined {
  const key = 'labels.kompose.service.healthcheck.readiness.disable';
  if (readiness.disable) {
    findings.push(note(key, 'no readinessProbe: the pod counts as ready, and as healthy to services that wait on it'));
    return undefined;
  }
  const { handler, periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds } = readiness;
  const timings = Object.fromEntries(
    Object.entries({ periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  if (!handler && !base) {
    findings.push({
      key: `labels.${Object.keys(service.labels).find((l) => l.startsWith(READINESS_LABELS)) ?? ''}`,
      status: 'dropped',
      severity: 'error',
      message: 'the readiness labels need test, http_get_path with http_get_port, or tcp_port (or a healthcheck test)',
    });
    return undefined;
  }
  // The labels' handler replaces the healthcheck's; their timings override its timings.
  const probe = handler ? { ...handler, ...(base ? withoutHandler(base) : {}) } : base;
  return { ...probe, ...timings };
}

export function healthProbes(
  service: ComposeService,
  workload: WorkloadKind,
  kompose: Pick<KomposeOptions, 'readiness' | 'liveness'> = {},
): HealthProbes {
  const h = service.healthcheck;
  const findings: Finding[] = [];
  if (h && !h.test) {
    findings.push(
      dropped(
        'healthcheck',
        "no test given: the image's HEALTHCHECK cannot be read from here; add `test:` to get probes",
      ),
    );
  }
  const base = healthcheckProbe(h);
  const readinessProbe = kompose.readiness ? readinessFromLabels(service, kompose.readiness, base, findings) : base;
  const livenessHandler = kompose.liveness?.handler;
  const livenessLabel = `labels.${Object.keys(service.labels).find((l) => l.startsWith(LIVENESS_LABELS)) ?? ''}`;
  if (!base && !livenessHandler) return { ...(readinessProbe ? { readinessProbe } : {}), findings };

  if (workload === 'Job' || workload === 'CronJob') {
    if (base)
      findings.push(
        note('healthcheck', 'readinessProbe only: a one-shot Job container is not restarted when unhealthy'),
      );
    if (livenessHandler) findings.push(dropped(livenessLabel, 'a one-shot Job container gets no livenessProbe'));
    return { ...(readinessProbe ? { readinessProbe } : {}), findings };
  }
  if (livenessOptOut(service)) {
    findings.push(
      note('healthcheck', 'readinessProbe only (x-k8s.liveness: false): an unhealthy container is not restarted'),
    );
    if (livenessHandler) findings.push(dropped(livenessLabel, 'x-k8s.liveness: false turns the livenessProbe off'));
    return { ...(readinessProbe ? { readinessProbe } : {}), findings };
  }
  // The liveness labels replace only the handler: timings stay the healthcheck's (Docker's defaults without one).
  const livenessProbe = livenessHandler
    ? { ...livenessHandler, ...(base ? withoutHandler(base) : dockerTimings) }
    : (base as Record<string, unknown>);
  const probes = { ...(readinessProbe ? { readinessProbe } : {}), livenessProbe };
  if (!h || h.startPeriodMs === undefined || h.startPeriodMs === 0) return { ...probes, findings };
  const periodSeconds = seconds(h.intervalMs ?? DEFAULT_INTERVAL_MS);
  const startPeriodSeconds = Math.min(periodSeconds, seconds(h.startIntervalMs ?? DEFAULT_START_INTERVAL_MS));
  const startupProbe = {
    ...(livenessHandler ?? { exec: base?.exec }),
    periodSeconds: startPeriodSeconds,
    timeoutSeconds: livenessProbe.timeoutSeconds,
    failureThreshold: startupFailureThreshold(h, startPeriodSeconds),
  };
  return { ...probes, startupProbe, findings };
}

/** A healthcheck that turns the image's off writes no probe, truthfully. */
function disabledHealthcheck(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const test = value.test;
  if (value.disable === true || value.disable === 'true' || (Array.isArray(test) && test[0] === 'NONE'))
    return "disabled: no probes, as the image's HEALTHCHECK is off";
  return undefined;
}

export const HEALTHCHECK_KEYS: KeyRules = {
  healthcheck: translated([container('readinessProbe'), container('livenessProbe'), container('startupProbe')], {
    unless: disabledHealthcheck,
  }),
  ...each(
    [
      'healthcheck.test',
      'healthcheck.interval',
      'healthcheck.timeout',
      'healthcheck.retries',
      'healthcheck.start_period',
      'healthcheck.start_interval',
      'healthcheck.disable',
    ],
    part,
  ),
};
