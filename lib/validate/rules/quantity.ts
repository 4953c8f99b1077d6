/**
 * resource.Quantity values, for the comparisons the API server makes (a request above its
 * limit, a negative size, a fraction of an integer resource). The schema check has already
 * refused what is not a quantity; here such a value is undefined and left alone.
 */
import { QUANTITY } from '../../k8s-grammar';

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores, bytes), or undefined when it is none. */
export function quantityValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !QUANTITY.test(v)) return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(v);
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[2];
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : number * factor;
}

/** Whether a quantity is a whole number (what the API server's `MilliValue() % 1000 == 0` asks). */
export function isWholeQuantity(v: unknown): boolean {
  const n = quantityValue(v);
  return n !== undefined && Math.abs(Math.round(n * 1000) % 1000) === 0;
}
