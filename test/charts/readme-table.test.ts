/**
 * The README's table of seed charts is what `npm run synth` writes: one row per chart, with its
 * services, object counts, published host ports and Ingresses. On a mismatch the failure shows
 * the rows to paste.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';

interface ObjectJson {
  readonly kind: string;
  readonly metadata: { readonly name: string };
}

function seedTableRow(id: string): string {
  const seed = SEED_CHARTS.find((s) => s.id === id);
  if (!seed) throw new Error(`no seed chart ${id}`);
  const chart = seed.build(Testing.app());
  const objects = chart.toJson() as ObjectJson[];
  const services = [...chart.services.values()].map((s) => `${s.serviceName} (${s.workloadKind})`).join(', ');
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const kinds = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const ports = [...new Set(chart.exposure.published.map((p) => p.published))].sort((a, b) => a - b).join(', ');
  const hostNetwork = Object.values(chart.project.services)
    .filter((s) => s.networkMode?.kind === 'host')
    .map((s) => s.name);
  const published = [ports, ...(hostNetwork.length > 0 ? [`host network: ${hostNetwork.join(', ')}`] : [])]
    .filter((p) => p !== '')
    .join('; ');
  const ingresses = objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name);
  return `| \`${id}\` | ${services} | ${kinds} | ${published || '-'} | ${ingresses.join(', ') || '-'} |`;
}

test('the README lists every seed chart with the objects npm run synth writes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split('\n## The seed stacks\n')[1].split('\n## ')[0];
  const documented = section.split('\n').filter((line) => line.startsWith('| `'));
  const expected = SEED_CHARTS.map((s) => seedTableRow(s.id));
  expect(documented.join('\n')).toBe(expected.join('\n'));
});

test('the README counts the seed stacks and charts as they are', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const stacks = new Set(SEED_CHARTS.map((s) => s.stack));
  expect(stacks.size).toBe(5);
  expect(readme).toContain(`${SEED_CHARTS.length} charts`);
});
