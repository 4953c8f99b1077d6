/**
 * HorizontalPodAutoscalers (autoscaling/v2) as the API server checks them: replica bounds, the
 * object scaled, and each metric naming its one source and a positive target.
 */
import { list, record, text, type Json } from '../problems';
import { required, type Emit } from './emit';
import { quantityValue } from './quantity';

const SOURCES: Readonly<Record<string, string>> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

/** A path segment name: the kind and name of the object scaled. */
const pathSegment = (v: string) =>
  v === '.' || v === '..' || /[/%]/.test(v) ? `"${v}" may not be "." or ".." nor contain "/" or "%"` : undefined;

function checkTarget(target: Json, path: string, emit: Emit): void {
  const type = text(target.type);
  if (!type || !['Utilization', 'Value', 'AverageValue'].includes(type))
    emit(`${path}.type`, 'must be one of Utilization, Value, AverageValue');
  for (const field of ['value', 'averageValue']) {
    const n = target[field] === undefined ? undefined : quantityValue(target[field]);
    if (n !== undefined && n <= 0) emit(`${path}.${field}`, `${String(target[field])} must be positive`);
  }
  const utilization = target.averageUtilization;
  if (typeof utilization === 'number' && utilization < 1)
    emit(`${path}.averageUtilization`, `${utilization} must be greater than 0`);
}

function checkMetric(metric: Json, path: string, emit: Emit): void {
  const type = text(metric.type) ?? '';
  const expected = SOURCES[type];
  if (!expected) return emit(`${path}.type`, `must be one of ${Object.keys(SOURCES).join(', ')}`);
  const given = Object.values(SOURCES).filter((s) => metric[s] !== undefined);
  for (const other of given.filter((s) => s !== expected))
    emit(`${path}.${other}`, `may not be set for a ${type} metric`);
  if (metric[expected] === undefined) return emit(`${path}.${expected}`, `required for a ${type} metric`);
  const source = record(metric[expected]);
  const target = record(source.target);
  checkTarget(target, `${path}.${expected}.target`, emit);
  if (type === 'Resource' || type === 'ContainerResource') {
    required(source.name, `${path}.${expected}.name`, emit);
    if (target.averageUtilization === undefined && target.averageValue === undefined)
      emit(`${path}.${expected}.target`, 'needs averageUtilization or averageValue');
    if (target.averageUtilization !== undefined && target.averageValue !== undefined)
      emit(`${path}.${expected}.target`, 'may not have both averageUtilization and averageValue');
  }
}

export function checkAutoscaler(o: Json, emit: Emit): void {
  const spec = record(o.spec);
  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  if (typeof min === 'number' && min < 1) emit('spec.minReplicas', `${min} must be at least 1`);
  if (typeof max === 'number' && max < 1) emit('spec.maxReplicas', `${max} must be greater than 0`);
  if (typeof min === 'number' && typeof max === 'number' && max < min)
    emit('spec.maxReplicas', `${max} must not be less than minReplicas (${min})`);
  const ref = record(spec.scaleTargetRef);
  required(ref.kind, 'spec.scaleTargetRef.kind', emit, pathSegment);
  required(ref.name, 'spec.scaleTargetRef.name', emit, pathSegment);
  list(spec.metrics).forEach((m, i) => checkMetric(record(m), `spec.metrics[${i}]`, emit));
}
