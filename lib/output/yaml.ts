/**
 * A YAML emitter for manifest data (mappings, sequences, strings, numbers, booleans, null).
 * Linear in the output: every line is pushed once, never re-indented, where a general YAML
 * library re-stringifies nested nodes (seconds and most of a GiB for a 5000-service stack).
 * Strings that any YAML 1.1 or 1.2 reader (kubectl's included) could read as something else
 * are double-quoted; multi-line text becomes a literal block, so nginx configs stay readable.
 */

const SAFE_WORD = /^[A-Za-z_/][-A-Za-z0-9_./@%+=,]*(?: [-A-Za-z0-9_./@%+=,]+)*$/;
/** `500m`, `1Gi`, `2xlarge`: digits then letters are plain in both YAML versions, `1e3` is not. */
const UNIT_WORD = /^[0-9]+(?:\.[0-9]+)?[A-Za-z]+$/;
const EXPONENT = /^[0-9.]+e[0-9]+$/i;
/** Words YAML 1.1 reads as booleans or null. */
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;

function isPlain(s: string): boolean {
  if (RESERVED.test(s)) return false;
  return SAFE_WORD.test(s) || (UNIT_WORD.test(s) && !EXPONENT.test(s));
}

export function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const s = String(value);
  return isPlain(s) ? s : JSON.stringify(s);
}

/** Text that can be a literal block: printable lines, no carriage returns, not starting with a space. */
function isBlockText(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return s.includes('\n') && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s) && !/^[ \n]/.test(s) && !/ \n|\t\n/.test(s);
}

function blockText(s: string, pad: string, out: string[], head: string): void {
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  out.push(`${head}|${chomp}`);
  const body = trailing === 0 ? s : s.slice(0, s.length - (trailing === 1 ? 1 : 0));
  for (const line of body.split('\n')) out.push(line === '' ? '' : `${pad}${line}`);
  if (chomp === '+') out.pop();
}

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;
function isEmpty(v: object): boolean {
  if (Array.isArray(v)) return v.length === 0;
  // Without listing the keys: this runs for every mapping of every object.
  for (const key in v) if (Object.prototype.hasOwnProperty.call(v, key)) return false;
  return true;
}
/** Whether a head holds more than indentation (a key, a `- `). */
const hasText = (head: string) => /\S/.test(head);

/** Emits `value` whose first line starts with `head` (a key, `- `, or indentation). */
function emit(value: unknown, pad: string, head: string, out: string[]): void {
  if (typeof value === 'string' && isBlockText(value)) return blockText(value, `${pad}  `, out, head);
  if (!isCollection(value) || isEmpty(value)) {
    out.push(`${head}${isCollection(value) ? (Array.isArray(value) ? '[]' : '{}') : scalar(value)}`);
    return;
  }
  if (Array.isArray(value)) {
    if (hasText(head) && !head.endsWith('- ')) out.push(head.trimEnd());
    value.forEach((item, i) => {
      const itemHead = i === 0 && head.endsWith('- ') ? `${head}- ` : `${pad}- `;
      emit(item, `${pad}  `, itemHead, out);
    });
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const inline = head.endsWith('- ');
  if (!inline && hasText(head)) out.push(head.trimEnd());
  entries.forEach(([k, v], i) => {
    const keyHead = `${i === 0 && inline ? head : pad}${scalar(k)}: `;
    if (isCollection(v) && !isEmpty(v)) {
      // Sequences under a key are indented, as kubectl and cdk8s print them.
      emit(v, Array.isArray(v) ? `${pad}  ` : `${pad}  `, keyHead, out);
    } else emit(v, `${pad}`, keyHead, out);
  });
}

/** One YAML document per value, separated by `---`. */
export function stringifyDocuments(values: readonly unknown[]): string {
  // Each document's lines are joined on their own: a stack's lines all alive at once were ~100 MB
  // of small strings for 10 000 services.
  const docs: string[] = [];
  for (const value of values) {
    const lines: string[] = [];
    emit(value, '', '', lines);
    docs.push(lines.join('\n'));
  }
  return docs.join('\n---\n') + '\n';
}
