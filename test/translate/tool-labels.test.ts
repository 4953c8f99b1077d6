/**
 * Labels for tools that read the Docker API stay pod annotations, reported once per tool at its
 * first label: nothing in the cluster acts on them.
 */
import { accountProblems } from '../support/account';
import { synthProject } from '../support/synth';

describe('labels for Docker-aware tools', () => {
  const yaml = `services:
  api:
    image: x
    labels:
      - "com.example.team=payments"
      - "caddy=api.example.com"
      - "caddy.reverse_proxy={{upstreams 8000}}"
      - "caddy.encode=gzip"
      - "com.centurylinklabs.watchtower.enable=true"
`;

  test('stay pod annotations, with one warning per tool at its first label, pointing Caddy at x-k8s.ingress', () => {
    const s = synthProject(yaml);
    expect(s.find('Deployment', 'api').spec.template.metadata.annotations).toMatchObject({
      caddy: 'api.example.com',
      'com.centurylinklabs.watchtower.enable': 'true',
    });
    expect(s.warnings()).toEqual([
      'services.api.labels.caddy: 3 Caddy labels (caddy*) are kept as pod annotations, but nothing in the cluster acts on them: caddy-docker-proxy reads them from the Docker API, and a Caddy ingress controller reads Ingress objects: route to the service with x-k8s.ingress instead (an Ingress; see "The x-k8s extension" in the README)',
      "services.api.labels.com.centurylinklabs.watchtower.enable: 1 Watchtower label (com.centurylinklabs.watchtower.*) is kept as a pod annotation, but nothing in the cluster acts on it: Watchtower updates Docker containers; in the cluster a new image comes from changing the workload's image (or a rollout restart with imagePullPolicy: Always)",
    ]);
    // At the label's own line.
    const d = s.chart.diagnostics.find((x) => x.path === 'services.api.labels.caddy');
    expect(d?.location).toEqual({ file: 'compose.yaml', line: 6, column: 9 });
    expect(s.chart.service('api').explanations.find((e) => e.key === 'labels')?.status).toBe('partial');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test.each([
    ['caddy', 'Caddy', 'caddy: example.com'],
    ['caddy_0.reverse_proxy', 'Caddy', 'caddy_0.reverse_proxy: "{{upstreams 80}}"'],
    ['com.docker.compose.project', 'Docker', 'com.docker.compose.project: other'],
    ['autoheal', 'autoheal', 'autoheal: "true"'],
    ['ofelia.job-exec.backup.schedule', 'Ofelia', 'ofelia.job-exec.backup.schedule: "@daily"'],
    ['homepage.group', 'Homepage', 'homepage.group: Apps'],
  ])('%s is reported as a %s label', (label, tool, line) => {
    const s = synthProject(`services:\n  a:\n    image: x\n    labels:\n      ${line}\n`);
    expect(s.warnings()).toEqual([
      expect.stringMatching(new RegExp(`^services\\.a\\.labels\\.${label.replace(/\./g, '\\.')}: 1 ${tool} label`)),
    ]);
  });

  test("other labels, and Diun's (its Kubernetes provider reads them as pod annotations), are not reported", () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    labels: { diun.enable: "true", org.opencontainers.image.source: "https://x", caddyfile: x }\n',
    );
    expect(s.warnings()).toEqual([]);
  });
});
