/**
 * docs/compose-keys.md and the README's list of keys with no Kubernetes equivalent, written from
 * the key registry (lib/translate/registry.ts), so the documentation says what the code does.
 * `npm run docs:keys` rewrites them; test/docs/key-reference.test.ts fails when they are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { FieldRef, KeyRule } from '../lib/translate/key-rules';
import { PROJECT_RULES, SERVICE_RULES } from '../lib/translate/registry';

const ROOT = path.join(__dirname, '..');
export const KEY_REFERENCE_PATH = path.join(ROOT, 'docs', 'compose-keys.md');
export const README_PATH = path.join(ROOT, 'README.md');
const START = '<!-- dropped-keys:start (npm run docs:keys) -->';
const END = '<!-- dropped-keys:end -->';

const ROLES: Readonly<Record<FieldRef['object'], string>> = {
  workload: 'workload',
  service: 'Service',
  published: 'published Service',
  ingress: 'Ingress',
  names: 'name Services',
  claims: 'claims',
  env: 'env ConfigMap/Secret',
  files: 'file ConfigMaps/Secrets',
  mounted: 'mounted Secrets/ConfigMaps',
  policies: 'NetworkPolicies',
  waits: 'wait RBAC',
  autoscaler: 'HorizontalPodAutoscaler',
  element: 'the element object',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const field = (f: FieldRef) => (f.path ? `${ROLES[f.object]} \`${f.path}\`` : ROLES[f.object]);

/** `a.b[].c` -> `a.b[]`, `a.b` -> `a`, `a` -> ''. */
function parentPattern(pattern: string): string {
  const parent = pattern.replace(/(\.[^.[\]]+|\[\])$/, '');
  return parent === pattern ? '' : parent;
}

function owner(pattern: string, rules: ReadonlyMap<string, KeyRule>): string | undefined {
  for (let p = parentPattern(pattern); p; p = parentPattern(p)) {
    const rule = rules.get(p);
    if (rule && rule.rule !== 'part' && rule.rule !== 'group') return p;
  }
  return undefined;
}

function describe(pattern: string, rule: KeyRule, rules: ReadonlyMap<string, KeyRule>): [string, string] {
  switch (rule.rule) {
    case 'translated': {
      const fields = rule.writes.map(field).join(', ');
      return [
        'translated',
        [rule.doc, fields].filter(Boolean).join(': ') || 'nothing to write (see its note in explain)',
      ];
    }
    case 'dropped':
      return ['reported', rule.reason];
    case 'loader':
      return ['used while loading', rule.note];
    case 'stack-file':
      return [`into ${rule.file}`, rule.note];
    case 'part': {
      const above = owner(pattern, rules);
      const status = above === undefined ? '-' : describe(above, rules.get(above) as KeyRule, rules)[0];
      return [status, `part of \`${above ?? '?'}\`, whose row accounts for it`];
    }
    case 'group':
      return ['-', 'each key below has its own row'];
  }
}

function table(title: string, prefix: string, rules: ReadonlyMap<string, KeyRule>): string[] {
  const rows = [...rules.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pattern, rule]) => {
      const [status, what] = describe(pattern, rule, rules);
      return `| \`${prefix}${pattern}\` | ${status} | ${cell(what)} |`;
    });
  return [`## ${title}`, '', '| Key | Status | What it becomes, or why not |', '| --- | --- | --- |', ...rows, ''];
}

export function keyReference(): string {
  return [
    '# Every Compose key, and what it becomes',
    '',
    'Generated from the key registry (`lib/translate/registry.ts`) by `npm run docs:keys`; `npm test`',
    'fails when this file is out of date. Every key of the Compose schema compose-cdk8s bundles',
    '(compose-go v2.13.0) has exactly one rule, and the schema walk (`test/translate/schema-walk.test.ts`)',
    'sets each key in a small project and checks that the conversion does what its rule says.',
    '',
    '- **translated**: written into the fields named (`{pod}` is the pod spec, `{pod-meta}` the pod',
    "  template's metadata). A value that cannot be carried is reported at its line anyway.",
    '- **reported**: no Kubernetes field can say it; a warning names the key, its file and line.',
    '- **with its key**: part of the key above it, whose row in `explain` accounts for it.',
    '- **used while loading**: read by the loader (`extends`, `profiles`, `include`...): nothing to write.',
    '- **into a file**: carried into a file written beside the manifests (`load-images.sh`,',
    '  `kind-cluster.yaml`).',
    '',
    'Objects: *workload* is the Deployment, StatefulSet, DaemonSet, Job or CronJob; *Service* the',
    'Service named after the service; *published Service* `<service>-published`; *env ConfigMap/Secret*',
    "`<service>-env`; *the element object* a top-level volume's claim, secret's Secret, config's ConfigMap.",
    '',
    ...table('Service keys', 'services.*.', SERVICE_RULES),
    ...table('Top-level keys', '', PROJECT_RULES),
  ].join('\n');
}

/** The README's block: every key pattern that is reported, for no Kubernetes field can say it. */
export function droppedKeysBlock(): string {
  const dropped = (rules: ReadonlyMap<string, KeyRule>, prefix: string) =>
    [...rules.entries()]
      .filter(([, r]) => r.rule === 'dropped')
      .map(([p]) => `\`${prefix}${p}\``)
      .sort();
  return [
    START,
    `Service keys: ${dropped(SERVICE_RULES, '').join(', ')}.`,
    '',
    `Top-level keys: ${dropped(PROJECT_RULES, '').join(', ')}.`,
    END,
  ].join('\n');
}

/** The README with its block replaced by the current one. */
export function readmeWithDroppedKeys(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return readme.slice(0, start) + droppedKeysBlock() + readme.slice(end + END.length);
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(KEY_REFERENCE_PATH), { recursive: true });
  fs.writeFileSync(KEY_REFERENCE_PATH, keyReference());
  fs.writeFileSync(README_PATH, readmeWithDroppedKeys(fs.readFileSync(README_PATH, 'utf8')));
  console.log(`wrote ${path.relative(ROOT, KEY_REFERENCE_PATH)} and the README's list of reported keys`);
}
