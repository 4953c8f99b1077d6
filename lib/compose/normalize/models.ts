/**
 * Services Compose does not run as containers (`provider`), and AI models: the top-level
 * `models` and the `models` a service uses.
 */
import type { SourceLocation } from '../diagnostics';
import type { ModelDefinition, ServiceModel, ServiceProvider } from '../model';
import { childPath } from '../parse';
import { isRecord, optionalNumber, optionalString, scalarText, stringList, type Json } from './context';

export function normalizeProvider(value: unknown): ServiceProvider | undefined {
  if (!isRecord(value)) return undefined;
  const options = isRecord(value.options) ? value.options : {};
  return {
    type: scalarText(value.type),
    options: Object.fromEntries(
      Object.entries(options).map(([k, v]) => [k, Array.isArray(v) ? v.map(scalarText) : scalarText(v)]),
    ),
  };
}

/** The variables docker compose sets when a service entry does not name them. */
function defaultVariables(key: string): ServiceModel {
  const prefix = key.toUpperCase().replace(/-/g, '_');
  return { endpointVar: `${prefix}_URL`, modelVar: `${prefix}_MODEL` };
}

/** `models: [llm]` or `models: { llm: { endpoint_var, model_var } }` (an entry may be null). */
export function normalizeServiceModels(value: unknown): Record<string, ServiceModel> {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((k) => [scalarText(k), null])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  return Object.fromEntries(
    entries.map(([key, v]) => {
      const given = isRecord(v) ? v : {};
      const defaults = defaultVariables(key);
      return [
        key,
        {
          endpointVar: optionalString(given.endpoint_var) || defaults.endpointVar,
          modelVar: optionalString(given.model_var) || defaults.modelVar,
        },
      ];
    }),
  );
}

export function normalizeModelDefinitions(
  value: unknown,
  locate: (path: string) => SourceLocation | undefined,
): Record<string, ModelDefinition> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, raw]) => {
      const v: Json = isRecord(raw) ? raw : {};
      const definition: ModelDefinition = {
        ...(v.name !== undefined && v.name !== null ? { name: scalarText(v.name) } : {}),
        model: scalarText(v.model),
        contextSize: optionalNumber(v.context_size),
        runtimeFlags: stringList(v.runtime_flags),
        extensions: Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('x-'))),
        location: locate(childPath('models', key)),
      };
      return [key, definition];
    }),
  );
}
