/**
 * The wait at the end of `up.sh`: one loop over every workload of the stack, one `kubectl get`
 * per round, one deadline for all of them (not one `rollout status` after another, each with its
 * own timeout). When the deadline passes it lists what is not ready, with the commands that say
 * why; a failed Job stops it at once (its pods will not be retried any more).
 */
import type { StackPlan, WorkloadRef } from './plan';
import { quote } from './shell';

/** Seconds the whole wait may take, unless UP_WAIT_TIMEOUT says otherwise. */
export const DEFAULT_WAIT_SECONDS = 600;

/**
 * What a round reads of each workload, one row each; custom columns print a row for a single
 * object and for a list alike, `<none>` for a field not set yet.
 */
const COLUMNS = [
  'KIND:.kind',
  'NAME:.metadata.name',
  'GENERATION:.metadata.generation',
  'OBSERVED:.status.observedGeneration',
  'DESIRED:.spec.replicas',
  'READY:.status.readyReplicas',
  'UPDATED:.status.updatedReplicas',
  'AVAILABLE:.status.availableReplicas',
  'CURRENT:.status.replicas',
  'DS_DESIRED:.status.desiredNumberScheduled',
  'DS_READY:.status.numberReady',
  'DS_UPDATED:.status.updatedNumberScheduled',
  'DS_AVAILABLE:.status.numberAvailable',
  'COMPLETE:.status.conditions[?(@.type=="Complete")].status',
  'FAILED:.status.conditions[?(@.type=="Failed")].status',
].join(',');

/**
 * One line per workload not ready yet, `kind/name<TAB>state`, as `kubectl rollout status` judges a
 * rollout: the controller has seen the current spec, every replica runs it and is available (a
 * Deployment's old replicas are gone too); a Job is complete. `failed` marks a Job that failed.
 * POSIX awk only (mawk, gawk, busybox).
 */
const NOT_READY_AWK = `
function n(v) { return v == "<none>" ? 0 : v + 0 }
{
  key = tolower($1) "/" $2
  seen[key] = 1
  if ($1 == "Job") {
    if ($15 == "True") print key "\\tfailed"
    else if ($14 != "True") print key "\\tnot complete"
    next
  }
  if ($1 == "DaemonSet") { want = n($10); ready = n($11); updated = n($12); available = n($13); old = 0 }
  else {
    want = n($5); ready = n($6); updated = n($7); available = n($8)
    old = $1 == "Deployment" ? n($9) - updated : 0
    if ($1 == "StatefulSet") available = ready
  }
  state = ready "/" want " ready"
  if ($4 == "<none>" || n($4) < n($3)) print key "\\t" state ", the controller has not seen the current spec yet"
  else if (updated < want || available < want) print key "\\t" state
  else if (old > 0) print key "\\t" state ", " old " old replicas still running"
}
END {
  count = split(expected, names, " ")
  for (i = 1; i <= count; i++) if (!(names[i] in seen)) print names[i] "\\tnot found"
}`;

/** `deployment/api`, as kubectl names a resource and the awk program keys its rows. */
const ref = (w: WorkloadRef): string => `${w.kind.toLowerCase()}/${w.name}`;

/** The lines of up.sh that wait for `workloads` (none: nothing to wait for). */
export function waitLines(plan: StackPlan): string[] {
  if (plan.workloads.length === 0) return [];
  const kubectl = `kubectl${plan.namespace ? ` -n ${quote([plan.namespace])}` : ''}`;
  const refs = plan.workloads.map(ref);
  return [
    `# Waits for every workload at once: ${DEFAULT_WAIT_SECONDS} s in all (UP_WAIT_TIMEOUT=<seconds> for another limit).`,
    `WORKLOADS=(${refs.map((r) => quote([r])).join(' ')})`,
    'not_ready() {',
    '  local rows',
    `  if ! rows="$(${kubectl} get "\${WORKLOADS[@]}" --ignore-not-found --no-headers -o ${quote([`custom-columns=${COLUMNS}`])} 2>&1)"; then`,
    // The API server may be busy right after the apply: a failed read is one more round.
    `    printf 'kubectl get\\t%s\\n' "$(printf '%s' "$rows" | tr '\\n' ' ')"`,
    '    return',
    '  fi',
    `  printf '%s\\n' "$rows" | awk -v expected="\${WORKLOADS[*]}" ${quote([NOT_READY_AWK])}`,
    '}',
    'wait_for_workloads() {',
    `  local limit="\${UP_WAIT_TIMEOUT:-${DEFAULT_WAIT_SECONDS}}" pending shown='' left`,
    '  local deadline=$((SECONDS + limit))',
    '  while :; do',
    '    pending="$(not_ready)"',
    '    [ -z "$pending" ] && return 0',
    '    if printf \'%s\\n\' "$pending" | grep -q "$(printf \'\\t\')failed$"; then',
    '      report_not_ready "a Job failed" "$pending"',
    '      return 1',
    '    fi',
    '    left=$((deadline - SECONDS))',
    '    if [ "$left" -le 0 ]; then',
    '      report_not_ready "not ready after $limit s (UP_WAIT_TIMEOUT=<seconds> waits longer)" "$pending"',
    '      return 1',
    '    fi',
    '    if [ "$pending" != "$shown" ]; then',
    `      echo "waiting for $(printf '%s\\n' "$pending" | wc -l | tr -d ' ') of \${#WORKLOADS[@]} workloads ($left s left): $(printf '%s\\n' "$pending" | cut -f1 | tr '\\n' ' ')"`,
    '      shown="$pending"',
    '    fi',
    '    sleep $((left < 2 ? left : 2))',
    '  done',
    '}',
    'report_not_ready() {',
    '  echo "up.sh: $1:" >&2',
    '  printf \'%s\\n\' "$2" | while IFS="$(printf \'\\t\')" read -r workload state; do',
    '    echo "  $workload: $state" >&2',
    // A failed read of the API or a workload not created has nothing to describe.
    '    [ "$state" = "not found" ] && continue',
    '    case "$workload" in */*) ;; *) continue ;; esac',
    `    echo "    see why: ${kubectl} describe $workload; ${kubectl} logs $workload --all-containers" >&2`,
    '  done',
    '}',
    'wait_for_workloads',
  ];
}
