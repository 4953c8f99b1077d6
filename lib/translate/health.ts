/**
 * `healthcheck` -> a readinessProbe. Readiness is what Compose's "healthy" means to the rest of
 * the stack: a Service only routes to ready pods, which is also how `service_healthy` gating
 * works here (see start-order.ts). No livenessProbe: Docker never restarts an unhealthy container,
 * and a liveness probe would add restarts the Compose stack never had.
 */
import type { ComposeService } from '../compose/model';
import { escapeDollar } from './container';
import { dropped, type Finding } from './findings';

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function readinessProbe(service: ComposeService): { probe?: Record<string, unknown>; findings: Finding[] } {
  const h = service.healthcheck;
  if (!h) return { findings: [] };
  if (!h.test) {
    return {
      findings: [
        dropped(
          'healthcheck',
          "no test given: the image's HEALTHCHECK cannot be read from here; add `test:` to get a readiness probe",
        ),
      ],
    };
  }
  const command = h.test.kind === 'exec' ? [...h.test.argv] : ['/bin/sh', '-c', h.test.script];
  return {
    probe: {
      exec: { command: command.map(escapeDollar) },
      periodSeconds: seconds(h.intervalMs ?? DEFAULT_INTERVAL_MS),
      timeoutSeconds: seconds(h.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      failureThreshold: Math.max(1, h.retries ?? DEFAULT_RETRIES),
    },
    findings: [],
  };
}
