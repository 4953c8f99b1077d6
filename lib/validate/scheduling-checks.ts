/**
 * What an API server rejects in where pods run and how workloads roll, that the schema allows:
 * node selectors and affinity terms (label syntax, operators and their values), tolerations,
 * topology spread constraints; and label selectors, which workloads and policies share.
 */
import { isLabelKey, LABEL_VALUE } from '../k8s-grammar';
import { list, record, text, type Json } from './problems';

type Emit = (path: string, message: string) => void;

function checkLabelPair(key: string, value: unknown, path: string, emit: Emit): void {
  if (!isLabelKey(key)) emit(path, `"${key}" is not a valid label key`);
  if (typeof value !== 'string' || !LABEL_VALUE.test(value))
    emit(path, `${JSON.stringify(value)} is not a valid label value`);
}

function checkSelectorRequirement(r: Json, path: string, emit: Emit, operators: readonly string[]): void {
  const key = text(r.key) ?? '';
  if (!isLabelKey(key)) emit(`${path}.key`, `"${key}" is not a valid label key`);
  const operator = text(r.operator) ?? '';
  if (!operators.includes(operator)) return emit(`${path}.operator`, `must be one of ${operators.join(', ')}`);
  const values = list(r.values);
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0)
    emit(`${path}.values`, `must be non-empty for ${operator}`);
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
    emit(`${path}.values`, `must be empty for ${operator}`);
  values.forEach((v, i) => {
    if (typeof v !== 'string' || !LABEL_VALUE.test(v))
      emit(`${path}.values[${i}]`, `${JSON.stringify(v)} is not a valid label value`);
  });
}

export function checkLabelSelector(selector: Json, path: string, emit: Emit): void {
  for (const [k, v] of Object.entries(record(selector.matchLabels))) checkLabelPair(k, v, `${path}.matchLabels`, emit);
  list(selector.matchExpressions).forEach((e, i) =>
    checkSelectorRequirement(record(e), `${path}.matchExpressions[${i}]`, emit, [
      'In',
      'NotIn',
      'Exists',
      'DoesNotExist',
    ]),
  );
}

function checkAffinity(affinity: Json, path: string, emit: Emit): void {
  const node = record(record(affinity.nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  const nodePath = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  if (
    record(affinity.nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution !== undefined &&
    list(node.nodeSelectorTerms).length === 0
  )
    emit(`${nodePath}.nodeSelectorTerms`, 'must have at least one term');
  list(node.nodeSelectorTerms).forEach((t, i) =>
    list(record(t).matchExpressions).forEach((e, j) =>
      checkSelectorRequirement(record(e), `${nodePath}.nodeSelectorTerms[${i}].matchExpressions[${j}]`, emit, [
        'In',
        'NotIn',
        'Exists',
        'DoesNotExist',
        'Gt',
        'Lt',
      ]),
    ),
  );
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const terms = list(record(affinity[kind]).requiredDuringSchedulingIgnoredDuringExecution);
    terms.forEach((t, i) => {
      const tp = `${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const topologyKey = text(record(t).topologyKey) ?? '';
      if (!isLabelKey(topologyKey)) emit(`${tp}.topologyKey`, 'must be a label key');
      checkLabelSelector(record(record(t).labelSelector), `${tp}.labelSelector`, emit);
    });
  }
}

function checkTopologySpread(constraints: unknown[], path: string, emit: Emit): void {
  const pairs = new Set<string>();
  constraints.map(record).forEach((c, i) => {
    const cp = `${path}[${i}]`;
    const maxSkew = c.maxSkew;
    if (typeof maxSkew !== 'number' || maxSkew < 1) emit(`${cp}.maxSkew`, 'must be greater than zero');
    const key = text(c.topologyKey) ?? '';
    if (!isLabelKey(key)) emit(`${cp}.topologyKey`, `"${key}" is not a valid label key`);
    const when = text(c.whenUnsatisfiable) ?? '';
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway')
      emit(`${cp}.whenUnsatisfiable`, 'must be DoNotSchedule or ScheduleAnyway');
    if (c.minDomains !== undefined) {
      if (typeof c.minDomains !== 'number' || c.minDomains < 1) emit(`${cp}.minDomains`, 'must be greater than zero');
      if (when !== 'DoNotSchedule') emit(`${cp}.minDomains`, 'only allowed with whenUnsatisfiable DoNotSchedule');
    }
    const pair = `${key}/${when}`;
    if (pairs.has(pair)) emit(cp, `duplicate topologyKey and whenUnsatisfiable pair (${key}, ${when})`);
    pairs.add(pair);
    checkLabelSelector(record(c.labelSelector), `${cp}.labelSelector`, emit);
  });
}

function checkTolerations(tolerations: unknown[], path: string, emit: Emit): void {
  tolerations.map(record).forEach((t, i) => {
    const operator = text(t.operator) ?? 'Equal';
    if (operator !== 'Equal' && operator !== 'Exists') emit(`${path}[${i}].operator`, 'must be Equal or Exists');
    if (operator === 'Exists' && t.value !== undefined && t.value !== '')
      emit(`${path}[${i}].value`, 'must be empty when operator is Exists');
    const effect = text(t.effect);
    if (effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect))
      emit(`${path}[${i}].effect`, 'must be NoSchedule, PreferNoSchedule or NoExecute');
  });
}

/** The scheduling fields of a pod spec (`path` leads to the pod, `spec` is its spec). */
export function checkPodScheduling(spec: Json, path: string, emit: Emit): void {
  const sp = path ? `${path}.spec` : 'spec';
  for (const [k, v] of Object.entries(record(spec.nodeSelector))) checkLabelPair(k, v, `${sp}.nodeSelector`, emit);
  checkAffinity(record(spec.affinity), `${sp}.affinity`, emit);
  checkTopologySpread(list(spec.topologySpreadConstraints), `${sp}.topologySpreadConstraints`, emit);
  checkTolerations(list(spec.tolerations), `${sp}.tolerations`, emit);
}
