/**
 * Checker pods for the end-to-end runs: short-lived pods in the stack's namespace that probe the
 * stack from inside the cluster, as another container on its Compose network would.
 */
import { failure, type Kubectl, type RunResult } from './cluster';

export interface CheckerPodSpec {
  name: string;
  image: string;
  /** Labels for the pod, e.g. the Compose network labels NetworkPolicies select on. */
  labels: Record<string, string>;
  env?: Record<string, string>;
}

/**
 * A short-lived pod in the stack's namespace to probe the stack from inside the cluster, as
 * another container on its Compose network would. It sleeps; probes are `kubectl exec`s.
 */
export class CheckerPod {
  static start(kubectl: Kubectl, spec: CheckerPodSpec, timeoutSeconds = 120): CheckerPod {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: spec.name,
        labels: { ...spec.labels, 'compose-cdk8s.io/e2e-checker': 'true' },
      },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'checker',
            image: spec.image,
            command: ['sleep', '3600'],
            env: Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    };
    const applied = kubectl.run(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    if (applied.status !== 0) throw new Error(`cannot create checker pod ${spec.name}: ${failure(applied)}`);
    const pod = new CheckerPod(kubectl, spec.name);
    const ready = kubectl.run(['wait', '--for=condition=Ready', `pod/${spec.name}`, `--timeout=${timeoutSeconds}s`], {
      timeoutMs: (timeoutSeconds + 30) * 1000,
    });
    if (ready.status !== 0) {
      const describe = kubectl.run(['describe', 'pod', spec.name]).stdout;
      const events = describe.slice(describe.indexOf('Events:')).trim();
      pod.delete();
      throw new Error(`checker pod ${spec.name} (${spec.image}) not ready: ${failure(ready)}\n${events}`);
    }
    return pod;
  }

  private constructor(
    readonly kubectl: Kubectl,
    readonly name: string,
  ) {}

  /** Runs a shell script in the pod; `args` are its $1, $2... */
  sh(script: string, args: readonly string[] = [], timeoutMs = 30_000): RunResult {
    return this.kubectl.run(['exec', this.name, '--', 'sh', '-c', script, 'sh', ...args], { timeoutMs });
  }

  delete(): void {
    this.kubectl.run(['delete', 'pod', this.name, '--wait=false', '--ignore-not-found']);
  }
}
