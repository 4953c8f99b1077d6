/**
 * PersistentVolumeClaims (and a StatefulSet's claim templates) as the API server checks them:
 * access modes, a positive storage request, a StorageClass name, the volume mode, a selector.
 */
import { list, record, text, type Json } from '../problems';
import { checkLabelSelector } from '../scheduling-checks';
import { grammar, oneOf, type Emit } from './emit';
import { dnsSubdomain } from './grammar';
import { quantityValue } from './quantity';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

export function checkClaimSpec(spec: Json, path: string, emit: Emit): void {
  const modes = list(spec.accessModes).map(String);
  if (modes.length === 0) emit(`${path}.accessModes`, 'required: at least one access mode');
  modes.forEach((m, i) => oneOf(m, ACCESS_MODES, `${path}.accessModes[${i}]`, emit));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    emit(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes');
  const storage = record(record(spec.resources).requests).storage;
  if (storage === undefined)
    emit(`${path}.resources.requests.storage`, 'required: how much storage the claim asks for');
  else {
    const n = quantityValue(storage);
    if (n !== undefined && n <= 0)
      emit(`${path}.resources.requests.storage`, `${String(storage)} must be greater than 0`);
  }
  if (text(spec.storageClassName)) grammar(spec.storageClassName, dnsSubdomain, `${path}.storageClassName`, emit);
  oneOf(spec.volumeMode, ['Block', 'Filesystem'], `${path}.volumeMode`, emit);
  if (spec.selector !== undefined) checkLabelSelector(record(spec.selector), `${path}.selector`, emit);
}
