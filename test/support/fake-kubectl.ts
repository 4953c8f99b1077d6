/**
 * A kubectl stand-in for running generated scripts in tests: a "cluster" in a JSON file (objects
 * with their kubectl name, namespace and labels) that `get <kinds> -l <selector> -o name` filters
 * as the API server does, and that `delete` changes. Every call is logged, one line per call.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface FakeObject {
  /** As `kubectl get -o name` prints it: `deployment.apps/api`. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface FakeCluster {
  readonly bin: string;
  readonly log: string;
  readonly state: string;
  objects(): FakeObject[];
  calls(): string[];
}

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_KUBECTL_LOG, args.join(' ') + '\n');
const state = process.env.FAKE_KUBECTL_STATE;
let objects = JSON.parse(fs.readFileSync(state, 'utf8'));
let ns = 'default';
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-n') ns = args[++i];
  else rest.push(args[i]);
}
const flag = (name) => { const i = rest.indexOf(name); return i < 0 ? undefined : rest[i + 1]; };
const singular = (kind) => kind.replace(/^[a-z]+/, (plural) =>
  ({ ingresses: 'ingress', networkpolicies: 'networkpolicy' })[plural] ?? plural.replace(/s$/, ''));
const matches = (o, selector) => selector.split(',').every((kv) => { const [k, v] = kv.split('='); return o.labels[k] === v; });
const ofKinds = (o, kinds) => kinds.split(',').some((k) => o.name.startsWith(singular(k) + '/'));
const verb = rest[0];
if (verb === 'get') {
  const selector = flag('-l');
  for (const o of objects) if (o.namespace === ns && ofKinds(o, rest[1]) && (!selector || matches(o, selector))) console.log(o.name);
} else if (verb === 'delete') {
  const selector = flag('-l');
  const target = rest[1];
  objects = objects.filter((o) => {
    if (o.namespace !== ns) return true;
    if (selector) return !(ofKinds(o, target) && matches(o, selector));
    return o.name !== target;
  });
  fs.writeFileSync(state, JSON.stringify(objects));
}
`;

export function fakeCluster(objects: readonly FakeObject[]): FakeCluster {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kubectl-'));
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'kubectl'), SCRIPT, { mode: 0o755 });
  const log = path.join(root, 'calls.log');
  const state = path.join(root, 'cluster.json');
  fs.writeFileSync(log, '');
  fs.writeFileSync(state, JSON.stringify(objects));
  return {
    bin,
    log,
    state,
    objects: () => JSON.parse(fs.readFileSync(state, 'utf8')) as FakeObject[],
    calls: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}
