/**
 * `npm run server-check`: does `compose-cdk8s validate` give the API server's verdict? Converts
 * every test fixture, kompose fixture, corpus stack and seed chart (test/server-check/inputs.ts),
 * then judges each object twice: by the offline validator (the object alone, as the server sees
 * it, without the references between objects the server does not check) and by
 * `kubectl apply --dry-run=server` against the cluster of the current KUBECONFIG, in a namespace
 * `server-check` created for the run and deleted after it (dry runs store nothing). A StatefulSet
 * is judged with the pod and claims its controller creates (derived.ts). An object one refuses
 * and the other accepts is a disagreement, printed with both messages; a table per group of
 * inputs ends the run.
 *
 * Environment: SERVER_CHECK_TARGETS (comma-separated targets to convert for, default
 * kind,generic), SERVER_CHECK_ONLY (run only the inputs whose name contains this text),
 * SERVER_CHECK_VERBOSE=1 (print both messages for every object refused, agreed or not).
 * Exit codes: 0 no disagreement, or skipped (no kubectl, no cluster); 1 a disagreement (or a
 * harness error); 2 an invalid SERVER_CHECK_* variable.
 */
import { formatProblem, parseManifests, validateManifests } from '../../lib/validate';
import type { ComposeTarget } from '../../lib/chart/compose-chart';
import { clusterUnavailable, failure, Kubectl } from '../e2e/cluster';
import { derivedObjects, documentOf } from './derived';
import { dryRun, nameKey, type Verdict } from './dry-run';
import { isSkipped, serverCheckInputs, SERVER_CHECK_NAMESPACE, type Input } from './inputs';

const log = (line: string) => process.stdout.write(`${line}\n`);

const TARGETS: readonly ComposeTarget[] = ['kind', 'minikube', 'generic'];

/** Refusals that depend on what the cluster holds, not on the object: no offline check can see them. */
const CLUSTER_STATE = [/provided port is already allocated/, /exceeded quota/, /error looking up service account/];

/**
 * Validator errors a dry run cannot confirm, each with why: the server checks them only when it
 * stores the object. A disagreement on these alone is no disagreement.
 */
const DRY_RUN_BLIND_SPOTS: readonly { readonly problem: RegExp; readonly why: string }[] = [
  {
    problem: /nodePort: \d+ is outside the NodePort range/,
    why: "a dry run allocates no NodePort, and so never checks the range (Kubernetes' portallocator skips it on dry runs); a real apply refuses it",
  },
];

interface Judged {
  readonly input: Input;
  readonly key: string;
  readonly validator: readonly string[];
  readonly server: Verdict;
}

type Outcome = 'agree' | 'disagree' | 'cluster state' | 'blind spot';

/** The validator's errors for one object, alone: what an API server judges. */
function validatorErrors(document: string): string[] {
  const parsed = parseManifests(document, 'object');
  if (parsed.problems.length > 0) return parsed.problems.map(formatProblem);
  return validateManifests(parsed.inputs, { checkReferences: false })
    .filter((p) => p.severity === 'error')
    .map((p) => formatProblem({ ...p, file: undefined }));
}

function outcome(j: Judged): Outcome {
  const refusedByValidator = j.validator.length > 0;
  const server = j.server;
  if (!server.accepted && CLUSTER_STATE.some((re) => re.test(server.message))) return 'cluster state';
  if (j.server.accepted !== refusedByValidator) return 'agree';
  if (j.server.accepted && j.validator.every((v) => DRY_RUN_BLIND_SPOTS.some((b) => b.problem.test(v))))
    return 'blind spot';
  return 'disagree';
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Waits up to `seconds` for `done`, checking twice a second. */
function waitFor(seconds: number, done: () => boolean): boolean {
  for (let i = 0; i < seconds * 2; i++) {
    if (done()) return true;
    sleep(500);
  }
  return done();
}

function ensureNamespace(kubectl: Kubectl): void {
  const phase = () => kubectl.run(['get', 'namespace', SERVER_CHECK_NAMESPACE, '-o', 'jsonpath={.status.phase}']);
  // A previous run's namespace may still be going away: nothing can be created in it meanwhile.
  if (!waitFor(120, () => phase().stdout !== 'Terminating'))
    throw new Error(`namespace ${SERVER_CHECK_NAMESPACE} is still being deleted after 120s`);
  if (phase().status !== 0) {
    const created = kubectl.run(['create', 'namespace', SERVER_CHECK_NAMESPACE]);
    if (created.status !== 0) throw new Error(`cannot create namespace ${SERVER_CHECK_NAMESPACE}: ${failure(created)}`);
  }
  // Pods are admitted only once the namespace has its default ServiceAccount, which a controller adds.
  if (!waitFor(60, () => kubectl.run(['get', 'serviceaccount', 'default']).status === 0))
    throw new Error(`namespace ${SERVER_CHECK_NAMESPACE} has no default ServiceAccount after 60s`);
}

function deleteNamespace(kubectl: Kubectl): void {
  const deleted = kubectl.run(['delete', 'namespace', SERVER_CHECK_NAMESPACE, '--ignore-not-found', '--wait=false']);
  if (deleted.status !== 0)
    log(`server-check: warning: namespace ${SERVER_CHECK_NAMESPACE} not deleted: ${failure(deleted)}`);
}

function targetsFromEnv(): readonly ComposeTarget[] | string {
  const names = (process.env.SERVER_CHECK_TARGETS || 'kind,generic').split(',').map((t) => t.trim());
  const unknown = names.filter((t) => !TARGETS.includes(t as ComposeTarget));
  if (unknown.length > 0) return `SERVER_CHECK_TARGETS names no target ${unknown.join(', ')} (${TARGETS.join(', ')})`;
  return names as ComposeTarget[];
}

/** Columns padded to their widest cell, numbers right-aligned. */
function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

function report(judged: readonly Judged[], inputs: readonly Input[], skipped: number): number {
  const message = (v: Verdict) => (v.accepted ? 'accepted' : v.message);
  const verbose = process.env.SERVER_CHECK_VERBOSE === '1';
  for (const j of judged.filter(
    (x) => outcome(x) === 'disagree' || (verbose && (!x.server.accepted || x.validator.length > 0)),
  )) {
    log(`${outcome(j) === 'disagree' ? 'DISAGREE' : 'agree'} ${j.input.group}: ${j.input.name}: ${j.key}`);
    log(`  server:    ${message(j.server)}`);
    log(`  validator: ${j.validator.length === 0 ? 'accepted' : j.validator.join('\n             ')}`);
  }
  for (const j of judged.filter((x) => outcome(x) === 'cluster state'))
    log(`note: ${j.input.name}: ${j.key}: refused for what the cluster holds, not for a field: ${message(j.server)}`);
  for (const j of judged.filter((x) => outcome(x) === 'blind spot'))
    log(
      `note: ${j.input.name}: ${j.key}: a dry run cannot judge ${j.validator.join('; ')}: ${DRY_RUN_BLIND_SPOTS.filter(
        (b) => j.validator.some((v) => b.problem.test(v)),
      )
        .map((b) => b.why)
        .join('; ')}`,
    );
  const row = (group: string | undefined) => {
    const of = judged.filter((j) => group === undefined || j.input.group === group);
    const count = (o: Outcome) => String(of.filter((j) => outcome(j) === o).length);
    return [
      group ?? 'total',
      String(inputs.filter((i) => group === undefined || i.group === group).length),
      String(of.length),
      String(of.filter((j) => !j.server.accepted).length),
      String(of.filter((j) => j.validator.length > 0).length),
      count('cluster state'),
      count('blind spot'),
      count('disagree'),
    ];
  };
  const header = [
    'inputs',
    'converted',
    'objects',
    'refused by server',
    'refused by validate',
    'cluster state',
    'dry-run blind spot',
    'disagreements',
  ];
  log('');
  log(formatTable([header, ...[...new Set(inputs.map((i) => i.group))].map(row), row(undefined)]));
  log(`(${skipped} inputs produced nothing to apply: load or conversion errors, as their tests expect)`);
  return judged.some((j) => outcome(j) === 'disagree') ? 1 : 0;
}

async function main(): Promise<number> {
  const targets = targetsFromEnv();
  if (typeof targets === 'string') {
    log(`server-check: ${targets}`);
    return 2;
  }
  const reason = clusterUnavailable(new Kubectl());
  if (reason) {
    log(`server-check: skipped: ${reason}`);
    return 0;
  }
  const only = process.env.SERVER_CHECK_ONLY;
  log(`server-check: converting every input for ${targets.join(', ')}`);
  const all = serverCheckInputs(targets).filter((x) => !only || x.name.includes(only));
  const inputs = all.filter((x): x is Input => !isSkipped(x));
  const units = inputs.flatMap((input) =>
    input.documents.map((document) => {
      const object = parseManifests(document, 'object').inputs[0]?.object ?? {};
      return { input, document, key: nameKey(object), derived: derivedObjects(object) };
    }),
  );
  const sent = units.flatMap((u, unit) => [
    { unit, role: '', key: u.key, document: u.document },
    ...u.derived.map((d) => ({ unit, role: d.role, key: nameKey(d.object), document: documentOf(d.object) })),
  ]);
  log(
    `server-check: ${units.length} objects of ${inputs.length} inputs (${sent.length} with what StatefulSets create)`,
  );
  log(`server-check: kubectl apply --dry-run=server -n ${SERVER_CHECK_NAMESPACE}`);
  const kubectl = new Kubectl({ namespace: SERVER_CHECK_NAMESPACE });
  ensureNamespace(kubectl);
  let verdicts: Verdict[];
  try {
    verdicts = dryRun(kubectl, sent, (done) => log(`server-check: ${done}/${sent.length} judged`));
  } finally {
    deleteNamespace(kubectl);
  }
  // An object is refused when it or anything its controller creates from it is: the first refusal says why.
  const refusals = new Map<number, string>();
  sent.forEach((s, k) => {
    const v = verdicts[k];
    if (!v.accepted && !refusals.has(s.unit)) refusals.set(s.unit, `${s.role ? `${s.role}: ` : ''}${v.message}`);
  });
  const judged = units.map((u, i): Judged => {
    const refusal = refusals.get(i);
    const server: Verdict = refusal === undefined ? { accepted: true } : { accepted: false, message: refusal };
    return { input: u.input, key: u.key, validator: validatorErrors(u.document), server };
  });
  return report(judged, inputs, all.length - inputs.length);
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`server-check: harness error: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
