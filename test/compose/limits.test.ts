/**
 * Hostile input is refused early with a clear error, before it can exhaust memory; a large but
 * legitimate file is not refused for its size.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LOAD_LIMITS, loadProject, loadProjectFromString } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { generateComposeYaml } from '../../bench/generate';
import { loadErrors, tempProject } from '../support/project';

const bomb = [
  'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'x-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'x-f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'x-g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'x-h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'x-i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  'services:',
  '  web:',
  '    image: nginx',
  '    labels: *i',
].join('\n');

test('the documented limits', () => {
  expect(DEFAULT_LOAD_LIMITS).toEqual({ maxFileBytes: Number.POSITIVE_INFINITY, maxAliasCount: 100_000, maxDepth: 64 });
});

test('a YAML alias bomb is refused at the alias that crosses the limit', () => {
  // x-f's first *e brings the expansion to 141 000 nodes; the file writes 100.
  expect(loadErrors(bomb)).toEqual([
    'compose.yaml:6:10: YAML aliases expand to more than 100000 nodes (the limit guards against alias bombs)',
  ]);
});

test('an alias used inside the node it names is refused', () => {
  expect(loadErrors('x-loop: &loop\n  again: *loop\nservices:\n  web:\n    image: nginx\n')).toEqual([
    'compose.yaml:2:10: YAML alias *loop is used inside the node it names: its value would contain itself',
  ]);
});

test('a file of 10 000 services (6 MB) loads', () => {
  const yaml = generateComposeYaml(10_000);
  expect(yaml.length).toBeGreaterThan(5 * 1024 * 1024);
  const result = loadProject({ workingDir: tempProject({ 'compose.yaml': yaml, 'common.env': 'A=1\n' }) });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok && Object.keys(result.project.services).length).toBe(10_000);
}, 120_000);

test('one anchor merged into each of 5000 services adds more than the floor, in proportion to the file', () => {
  const defaults = Array.from({ length: 15 }, (_, i) => `    L${i}: "v${i}"`).join('\n');
  const services = Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    <<: *defaults\n    image: app:${i}`);
  const yaml = `x-defaults: &defaults\n  labels:\n${defaults}\nservices:\n${services.join('\n')}\n`;
  const result = loadProjectFromString(yaml, { workingDir: tempProject() });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok && result.project.services.s4999.labels).toEqual(expect.objectContaining({ L14: 'v14' }));
}, 60_000);

test('a repeated key is found in a mapping of thousands of keys, and in a flow mapping', () => {
  const many = Array.from({ length: 3000 }, (_, i) => `  s${i}:\n    image: nginx`);
  expect(loadErrors(`services:\n${many.join('\n')}\n  s7:\n    image: httpd\n`)).toEqual([
    'compose.yaml:6002:3: duplicate key "s7"',
  ]);
  expect(loadErrors('services:\n  web: { image: nginx, image: httpd }\n')).toEqual([
    'compose.yaml:2:24: duplicate key "image"',
  ]);
});

test('nesting too deep for the YAML parser itself is refused as too deep', () => {
  const deep = `services:\n  web:\n    image: nginx\nx-deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
  expect(loadErrors(deep)).toEqual([
    expect.stringMatching(/^compose\.yaml:4:\d+: nesting is deeper than the limit of 64 levels$/),
  ]);
});

test('a file over a lowered size limit is refused without being parsed', () => {
  const dir = tempProject({ 'compose.yaml': `services:\n  web:\n    image: nginx\n# ${'x'.repeat(2048)}\n` });
  const result = loadProject({ workingDir: dir, limits: { maxFileBytes: 1024 } });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    `compose.yaml:1:1: file is ${fs.statSync(path.join(dir, 'compose.yaml')).size} bytes, over the limit of 1024 bytes for a Compose file`,
  ]);
});

test('nesting deeper than the limit is refused', () => {
  const deep = `services:\n  web:\n    image: nginx\nx-deep: ${'['.repeat(100)}${']'.repeat(100)}\n`;
  expect(loadErrors(deep)).toEqual([
    expect.stringMatching(/^compose\.yaml:4:\d+: nesting is deeper than the limit of 64 levels$/),
  ]);
});

test('limits can be raised by the caller', () => {
  const medium = [...bomb.split('\n').slice(0, 5), 'x-data: *e', 'services:', '  web:', '    image: nginx'].join('\n');
  expect(loadErrors(medium)[0]).toContain('YAML aliases expand to more than 100000 nodes');
  const raised = loadProject({
    workingDir: tempProject({ 'compose.yaml': medium }),
    limits: { maxAliasCount: 1_000_000 },
  });
  expect(raised.ok).toBe(true);
});
