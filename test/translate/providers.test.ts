/** `provider` services: nothing runs for them in the cluster, and everything that relied on them says so. */
import { stackAccount } from '../../lib/cli/summary';
import { synthProject } from '../support/synth';

const yaml = [
  'services:',
  '  app:',
  '    image: nginx:1.27-alpine',
  '    depends_on: [llm, db]',
  '  db:',
  '    image: postgres:16-alpine',
  '  llm:',
  '    provider:',
  '      type: model',
  '      options: { model: ai/smollm2 }',
  '',
].join('\n');

test('a provider service becomes no object', () => {
  const s = synthProject(yaml);
  expect(s.objects.filter((o) => o.metadata.name === 'llm')).toEqual([]);
  expect(s.chart.services.has('llm')).toBe(false);
  expect(s.warnings()).toContainEqual(
    expect.stringMatching(
      /^services\.llm\.provider: not translated: llm is a provider service: Compose has Docker Model Runner set it up/,
    ),
  );
});

test('its dependents do not wait for it, and are told which variables they miss', () => {
  const s = synthProject(yaml);
  const waits = s.pod('app').initContainers.map((c: { name: string }) => c.name);
  expect(waits).toEqual(['wait-for-db']);
  expect(s.warnings()).toContainEqual(
    'services.app.depends_on.llm: not translated: llm is a provider service, which the cluster does not run: nothing to wait for, and the variables its provider would set here (LLM_URL, LLM_MODEL for a model) are not set',
  );
  expect(s.chart.service('app').explanations.find((k) => k.key === 'depends_on')?.status).toBe('partial');
});

test('the account lists every key of the provider service as dropped, so nothing claims all was translated', () => {
  const s = synthProject(yaml);
  const rows = s.chart.providers.find((p) => p.service === 'llm')?.keys ?? [];
  expect(rows.map((r) => [r.key, r.status])).toEqual([['provider', 'dropped']]);
  expect(
    stackAccount(s.chart)
      .keys.filter((k) => k.status === 'dropped')
      .map((k) => k.key),
  ).toContain('provider');
});
