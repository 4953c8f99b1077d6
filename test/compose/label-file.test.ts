/** `label_file`: labels read from `.env`-format files, under the labels written in `labels`. */
import * as path from 'path';
import { formatDiagnostic, loadProject, type LoadResult } from '../../lib/compose';
import type { ComposeProject } from '../../lib/compose/model';
import { tempProject } from '../support/project';

function loadIn(files: Record<string, string>, dir = ''): LoadResult {
  const root = tempProject(files);
  return loadProject({ workingDir: path.join(root, dir), environment: { HOME: '/home/me' } });
}

function load(files: Record<string, string>): ComposeProject {
  const result = loadIn(files);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.project;
}

test('kompose labels in a label file reach the service; labels written in labels win', () => {
  const project = load({
    'compose.yaml': `services:
  web:
    image: nginx
    label_file: [k8s.labels, team.labels]
    labels:
      kompose.service.expose: "shop.example.com"
`,
    'k8s.labels': 'kompose.service.type=nodeport\nkompose.service.expose=ignored.example.com\n',
    'team.labels': '# team\nteam="shop"\nowner=${team}-ops\nhome=${HOME}\n',
  });
  expect(project.services.web.labels).toEqual({
    'kompose.service.type': 'nodeport',
    'kompose.service.expose': 'shop.example.com',
    team: 'shop',
    // compose-go lets ${VAR} in a label file see the labels read before, not the project's variables.
    owner: 'shop-ops',
    home: '',
  });
});

test('each label from a file is located at its line there', () => {
  const project = load({
    'compose.yaml': 'services:\n  web:\n    image: nginx\n    label_file: k8s.labels\n',
    'k8s.labels': '\nkompose.service.type=nodeport\n',
  });
  expect(project.services.web.labelLocations['kompose.service.type']).toEqual({
    file: 'k8s.labels',
    line: 2,
    column: 1,
  });
});

test('a missing label file is an error at its line', () => {
  const result = loadIn({
    'compose.yaml': 'services:\n  web:\n    image: nginx\n    label_file:\n      - gone.labels\n',
  });
  expect(result.ok).toBe(false);
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    'compose.yaml:5:9: services.web.label_file[0]: label file gone.labels not found',
  ]);
});

test('a label file outside the project is not read, with a warning', () => {
  const result = loadIn(
    {
      'app/compose.yaml': 'services:\n  web:\n    image: nginx\n    label_file: ../shared.labels\n',
      'shared.labels': 'kompose.service.type=nodeport\n',
    },
    'app',
  );
  expect(result.ok && result.project.services.web.labels).toEqual({});
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    'compose.yaml:4:5: services.web.label_file: label file ../shared.labels is outside the project and is not read, so its labels are left out: the output must not depend on the converting machine (copy it into the project, or write its labels under labels:)',
  ]);
});

test('a label file named by an extended service in sub/ is read from sub/', () => {
  const project = load({
    'compose.yaml': 'services:\n  web:\n    extends: { file: sub/base.yaml, service: base }\n',
    'sub/base.yaml': 'services:\n  base:\n    image: nginx\n    label_file: base.labels\n',
    'sub/base.labels': 'tier=front\n',
  });
  expect(project.services.web.labels).toEqual({ tier: 'front' });
});
