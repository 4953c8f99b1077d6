/**
 * A CronJob schedule as the API server parses it (robfig/cron's standard parser): five fields,
 * or a descriptor (`@daily`, `@every 1h30m`), optionally after `TZ=` or `CRON_TZ=`.
 */

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

type Field = (typeof FIELDS)[number];

function value(s: string, field: Field): number | undefined {
  const names: readonly string[] = 'names' in field ? field.names : [];
  const named = names.indexOf(s.toLowerCase());
  if (named >= 0) return named + field.min;
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** Why one comma-separated part of a field is refused: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function rangeProblem(part: string, field: Field): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `bad step in "${part}"`;
  if (step !== undefined && Number(step) === 0) return `step of "${part}" must be at least 1`;
  if (range === '*' || range === '?') return undefined;
  const [low, high, more] = range.split('-');
  if (more !== undefined) return `too many hyphens in "${part}"`;
  const lo = value(low, field);
  const hi = high === undefined ? lo : value(high, field);
  if (lo === undefined || hi === undefined) return `"${part}" is not a ${field.name}`;
  if (lo < field.min || hi > field.max) return `${field.name} "${part}" is outside ${field.min}-${field.max}`;
  if (lo > hi) return `${field.name} range "${part}" goes backwards`;
  return undefined;
}

/** Go's time.ParseDuration, positive: `1h30m`, `90s`, `1.5h`. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why the API server refuses a schedule, or undefined. */
export function cronScheduleProblem(schedule: string): string | undefined {
  let spec = schedule.trim();
  const tz = /^(CRON_TZ|TZ)=\S*\s*/.exec(spec);
  if (tz) spec = spec.slice(tz[0].length).trim();
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    const every = /^@every\s+(\S+)$/.exec(spec);
    if (every) return DURATION.test(every[1]) ? undefined : `"${every[1]}" is not a duration (e.g. 1h30m)`;
    return `"${spec}" is not a schedule descriptor (${DESCRIPTORS.join(', ')}, @every <duration>)`;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (const [i, f] of fields.entries()) {
    for (const part of f.split(',')) {
      const problem = rangeProblem(part, FIELDS[i]);
      if (problem) return problem;
    }
  }
  return undefined;
}
