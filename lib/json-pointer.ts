/** JSON pointers from schema validators -> the key paths users read (`spec.ports[0].name`). */

export function pointerToPath(pointer: string, options: { readonly quoteOddKeys?: boolean } = {}): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else {
      // Compose keys may hold dots (`services."web.1"`); Kubernetes field names never do.
      const key = options.quoteOddKeys && !/^[A-Za-z0-9_-]+$/.test(part) ? JSON.stringify(part) : part;
      out += (out ? '.' : '') + key;
    }
  }
  return out;
}

/** The value a pointer names in `data`, or undefined. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let value = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
