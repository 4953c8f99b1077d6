/**
 * A stack routed by Traefik's Docker provider (test/fixtures/corpus/features/traefik-labels: the
 * labels of Traefik's documentation on whoami, an API and a web server), converted end to end: an
 * Ingress per routed service, the NetworkPolicy that lets the ingress controller's traffic in, the
 * Traefik container reported as replaceable, and NOTES.md saying so.
 */
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { targetFiles } from '../../lib/targets/files';
import { CORPUS_PROJECTS, loadCorpusProject } from '../fixtures/corpus';
import { accountProblems } from '../support/account';
import type { K8sObject } from '../support/synth';

const fixture = CORPUS_PROJECTS.find((p) => p.name === 'features/traefik-labels');
if (!fixture) throw new Error('no features/traefik-labels fixture');
const chart = new ComposeChart(Testing.app(), 'traefik-labels', { project: loadCorpusProject(fixture) });
const objects = Testing.synth(chart) as K8sObject[];
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('a stack routed by Traefik labels', () => {
  test('an Ingress per routed service, with the hosts, paths and ports of its routers', () => {
    expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name)).toEqual(['api', 'web', 'whoami']);
    expect(find('Ingress', 'whoami')?.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['whoami.example.com'] }],
      rules: [
        {
          host: 'whoami.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'whoami', port: { number: 80 } } } }],
          },
        },
      ],
    });
    expect(find('Ingress', 'api')?.spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8000 } } } },
            { path: '/healthz', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8000 } } } },
          ],
        },
      },
    ]);
    expect(find('Ingress', 'web')?.spec.rules.map((r: { host: string }) => r.host)).toEqual([
      'shop.example.com',
      'www.shop.example.com',
    ]);
    expect(find('Ingress', 'web')?.spec.tls).toBeUndefined();
  });

  test('the ports Traefik connected to are let in from outside, and are ports of the Services', () => {
    for (const [service, port] of [
      ['whoami', 80],
      ['api', 8000],
      ['web', 80],
    ] as const) {
      expect(find('NetworkPolicy', `${service}-from-outside`)?.spec).toMatchObject({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': service } },
        ingress: [{ ports: [{ port, protocol: 'TCP' }] }],
      });
      expect(find('Service', service)?.spec.ports).toEqual([
        { name: `tcp-${port}`, port, targetPort: port, protocol: 'TCP' },
      ]);
    }
  });

  test('traefik.enable=false and the dashboard router route nothing; nothing is lost unreported', () => {
    expect(find('Ingress', 'worker')).toBeUndefined();
    expect(find('Ingress', 'traefik')).toBeUndefined();
    expect(find('NetworkPolicy', 'worker-from-outside')).toBeUndefined();
    expect(accountProblems(chart)).toEqual([]);
  });

  test('the Traefik container: reported as replaceable, still converted, and NOTES.md says so', () => {
    const warning = chart.diagnostics.find((d) => d.path === 'services.traefik.command');
    expect(warning).toMatchObject({ severity: 'warning', location: { file: 'compose.yaml', line: 7 } });
    expect(find('Deployment', 'traefik')).toBeDefined();
    const notes = targetFiles(chart, chart.exposure, path.join(os.tmpdir(), 'traefik-labels')).files.get('NOTES.md');
    expect(String(notes?.content)).toContain("`traefik` is a Traefik that routed these by the services' Docker labels");
    expect(String(notes?.content)).toContain('https://whoami.example.com/ -> whoami');
  });
});
