/**
 * Probes and lifecycle hooks: exactly one handler each, and the handler's own fields (a command,
 * a port by number or name, a path and scheme); the timings are never negative, and liveness and
 * startup probes succeed at the first success.
 */
import { list, record, type Json } from '../problems';
import { at, grammar, nonNegative, oneOf, type Emit } from './emit';
import { portNumber, portNumberOrName } from './grammar';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket'] as const;

function checkHandler(h: Json, handlers: readonly string[], path: string, emit: Emit): void {
  const given = handlers.filter((k) => h[k] !== undefined);
  if (given.length !== 1) {
    emit(
      path,
      `must have exactly one handler (${handlers.join(', ')})${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`,
    );
    return;
  }
  const exec = record(h.exec);
  if (h.exec !== undefined && list(exec.command).length === 0)
    emit(`${path}.exec.command`, 'required: must not be empty');
  if (h.httpGet !== undefined) {
    const http = record(h.httpGet);
    const port = portNumberOrName(http.port);
    if (port) emit(`${path}.httpGet.port`, port);
    oneOf(http.scheme, ['HTTP', 'HTTPS'], `${path}.httpGet.scheme`, emit);
    list(http.httpHeaders).forEach((header, i) =>
      grammar(
        record(header).name,
        (n) => (/^[-A-Za-z0-9]+$/.test(n) ? undefined : `"${n}" is not an HTTP header name (letters, digits and "-")`),
        `${path}.httpGet.httpHeaders[${i}].name`,
        emit,
      ),
    );
  }
  if (h.tcpSocket !== undefined) {
    const port = portNumberOrName(record(h.tcpSocket).port);
    if (port) emit(`${path}.tcpSocket.port`, port);
  }
  if (h.grpc !== undefined) {
    const port = portNumber(record(h.grpc).port);
    if (port) emit(`${path}.grpc.port`, port);
  }
}

function checkProbe(probe: Json, path: string, emit: Emit): void {
  checkHandler(probe, PROBE_HANDLERS, path, emit);
  for (const field of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    nonNegative(probe[field], `${path}.${field}`, emit);
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) emit(`${path}.terminationGracePeriodSeconds`, 'must be greater than 0');
}

/** The probes and hooks of a container; `init`: an init container, which may have none. */
export function checkProbesAndHooks(c: Json, path: string, init: boolean, emit: Emit): void {
  if (init) {
    for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
      if (c[field] !== undefined) emit(at(path, field), 'may not be set for init containers');
    return;
  }
  for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[field] === undefined) continue;
    const probe = record(c[field]);
    checkProbe(probe, at(path, field), emit);
    const success = probe.successThreshold;
    // 0 is the default, 1.
    if (field !== 'readinessProbe' && success !== undefined && success !== 0 && success !== 1)
      emit(at(path, `${field}.successThreshold`), `must be 1 (is ${JSON.stringify(success)})`);
    if (field === 'readinessProbe' && probe.terminationGracePeriodSeconds !== undefined)
      emit(at(path, `${field}.terminationGracePeriodSeconds`), 'must not be set for readinessProbes');
  }
  const lifecycle = record(c.lifecycle);
  for (const hook of ['postStart', 'preStop'])
    if (lifecycle[hook] !== undefined)
      checkHandler(record(lifecycle[hook]), HOOK_HANDLERS, at(path, `lifecycle.${hook}`), emit);
}
