/** What every e2e check set shares: the result type, a never-throwing wrapper, HTTP from this machine, the table. */
import * as http from 'http';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** The cluster cannot show this (ok stays true so the run passes); the detail says why. */
  skipped?: boolean;
}

export const oneLine = (s: string, max = 160) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
};

/** Runs one check; an exception is a failed check whose detail is the message. */
export async function check(
  name: string,
  body: () => Promise<Omit<CheckResult, 'name'>> | Omit<CheckResult, 'name'>,
): Promise<CheckResult> {
  try {
    return { name, ...(await body()) };
  } catch (e) {
    return { name, ok: false, detail: oneLine((e as Error).message, 300) };
  }
}

/** GET from this machine (the published NodePorts), never throwing. */
export function httpFromHere(
  url: string,
  timeoutMs = 5000,
): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ body: '', error: e.message }));
  });
}

/** A plain-text table: check, result, detail. */
export function formatResults(results: readonly CheckResult[]): string {
  const nameWidth = Math.max(5, ...results.map((r) => r.name.length));
  const lines = [`${'check'.padEnd(nameWidth)}  result  detail`, `${'-'.repeat(nameWidth)}  ------  ------`];
  for (const r of results)
    lines.push(`${r.name.padEnd(nameWidth)}  ${(r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL').padEnd(6)}  ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.skipped).length;
  lines.push(
    '',
    `${results.length - failed - skipped} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
  );
  return lines.join('\n');
}
