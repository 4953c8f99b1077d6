/**
 * A service's Compose labels and annotations become its pods' annotations, but for kompose
 * labels (instructions to the converter) and keys the API server refuses as annotation keys
 * (`(`, `my label`): the whole workload would be refused for one of those, so each is reported
 * at its line instead.
 */
import type { ComposeService } from '../compose/model';
import { isAnnotationKey } from '../k8s-grammar';
import { dropped, type Finding } from './findings';
import { isKomposeLabel } from './kompose-labels';

const sources = (service: ComposeService) =>
  [
    ['labels', Object.fromEntries(Object.entries(service.labels).filter(([k]) => !isKomposeLabel(k)))],
    ['annotations', service.annotations],
  ] as const;

export function podAnnotations(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    sources(service).flatMap(([, map]) => Object.entries(map).filter(([k]) => isAnnotationKey(k))),
  );
}

export function podAnnotationFindings(service: ComposeService): Finding[] {
  return sources(service).flatMap(([key, map]) =>
    Object.keys(map)
      .filter((k) => !isAnnotationKey(k))
      .map((k) =>
        dropped(
          `${key}.${k}`,
          `"${k}" is not a valid Kubernetes annotation key (an optional DNS-name prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`,
        ),
      ),
  );
}
