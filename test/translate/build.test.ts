/**
 * The account of `build` on each target: every build key is part of the build row, translated on
 * kind and on a generic cluster; on minikube what its node cannot reach is a warning at its key.
 */
import { EVERY_KEY } from '../support/build-project';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const synth = (target: 'kind' | 'minikube' | 'generic') =>
  synthProject(EVERY_KEY, { target, workingDir: tempProject({ npmrc: 'x\n' }) });

test('kind and generic: every build key is carried, no warning', () => {
  for (const target of ['kind', 'generic'] as const) {
    const s = synth(target);
    expect(s.warnings().filter((w) => w.includes('.build'))).toEqual([]);
    expect(s.chart.service('web').explanations.find((k) => k.key === 'build')).toMatchObject({
      status: 'translated',
      note: expect.stringContaining('build.isolation: Windows container isolation'),
    });
    expect(s.chart.service('web').explanations.filter((k) => k.key.startsWith('build.'))).toEqual([]);
  }
});

test('minikube: each key its node cannot reach is a warning at that key, and the build row is partial', () => {
  const s = synth('minikube');
  const warnings = s.chart.diagnostics.filter((d) => d.path?.startsWith('services.web.build'));
  expect(warnings.map((d) => d.path)).toEqual([
    'services.web.build.secrets',
    'services.web.build.ssh',
    'services.web.build.additional_contexts.shared',
    'services.web.build.cache_from[1]',
    'services.web.build.network',
  ]);
  for (const d of warnings) expect(d.location).toBeDefined();
  expect(warnings[0].message).toContain('it builds without npm_token, npm_config');
  expect(s.chart.service('web').explanations.find((k) => k.key === 'build')?.status).toBe('partial');
});

test('a secret only builds use becomes no object, and the account says why', () => {
  const rows = synth('kind').chart.projectExplanations;
  expect(rows.find((r) => r.key === 'secrets.npm_token')).toMatchObject({
    status: 'translated',
    objects: [],
    note: 'used only to build images (build.secrets of web): handed to the build, no object is created for it',
  });
});
