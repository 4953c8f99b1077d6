/**
 * A file's bytes as text when they are UTF-8 that decodes back to the same bytes, else undefined:
 * ConfigMap `data` must be such text (anything else goes to `binaryData`), and a binary file is
 * never searched or rewritten as text.
 */
export function utf8Text(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}
