import type { PublishedPort } from '../../lib/expose/node-ports';
import { planKindCluster } from '../../lib/targets/kind';
import { renderNotes } from '../../lib/targets/notes';
import type { StackPlan } from '../../lib/targets/plan';

const web: PublishedPort = {
  service: 'web',
  target: 80,
  published: 8080,
  protocol: 'tcp',
  nodePort: 30000 + (8080 % 2768),
};
const plan = (over: Partial<StackPlan> = {}): StackPlan => ({
  name: 'shop',
  project: 'shop',
  objects: [],
  target: 'kind',
  images: [],
  published: [web],
  hostNetwork: [],
  ingressHosts: [],
  workloads: [],
  nodeMounts: [],
  sourceMounts: [],
  externalVolumes: [],
  projectDir: '../..',
  ...over,
});

test('kind: each published port answers on the same localhost port', () => {
  const notes = renderNotes(plan(), planKindCluster('shop', [web], [], false));
  expect(notes).toContain('| localhost:8080:80/tcp | web:80 | 32544 | localhost:8080/tcp |');
  expect(notes).toContain('./up.sh');
});

test('minikube: the minikube service and port-forward commands for each port', () => {
  const notes = renderNotes(plan({ target: 'minikube' }));
  expect(notes).toContain(
    '`kubectl port-forward service/web 8080:80`, or `minikube service web-published -p shop --url`',
  );
});

test('minikube with an Ingress: the addon, and minikube tunnel where the node is not reachable', () => {
  const notes = renderNotes(plan({ target: 'minikube', ingressHosts: [{ path: '/', service: 'web', tls: false }] }));
  expect(notes).toContain('minikube addons enable ingress');
  expect(notes).toContain('minikube -p shop tunnel');
});

test('generic: the LoadBalancer answers on the published port', () => {
  const notes = renderNotes(plan({ target: 'generic' }));
  expect(notes).toContain(
    '| localhost:8080:80/tcp | web:80 | - | the external address of LoadBalancer `web-published`, port 8080',
  );
  expect(notes).not.toContain('registry');
});

test('generic with build: images: each is built and pushed before kubectl apply', () => {
  const images = [{ service: 'api', image: 'shop-api', context: '../api', dockerfile: 'Dockerfile.prod', args: {} }];
  const notes = renderNotes(plan({ target: 'generic', images }));
  expect(notes).toContain(
    'Apply only after the images Compose builds (1 image) are in a registry the cluster pulls from',
  );
  expect(notes).toContain('docker build -t shop-api -f ../api/Dockerfile.prod ../api && docker push shop-api');
});

test('generic with kompose.service.type nodeport and a pinned NodePort: any node, that port', () => {
  const notes = renderNotes(
    plan({ target: 'generic', published: [{ ...web, nodePort: 30099, serviceType: 'NodePort', pinned: true }] }),
  );
  expect(notes).toContain("| localhost:8080:80/tcp | web:80 | 30099 | any node's address, port 30099 |");
});

test('host networking is documented with its caveats', () => {
  const notes = renderNotes(plan({ published: [], hostNetwork: [{ service: 'api', port: 22344, protocol: 'udp' }] }));
  expect(notes).toContain(
    '| host network 22344/udp | api (hostNetwork) | - | node port 22344, mapped to localhost:22344 |',
  );
  expect(notes).toContain('multicast/broadcast traffic from your LAN does not reach it');
});

test('the diagram is a mermaid block under the start command, before the ports', () => {
  const notes = renderNotes(plan(), undefined, { mermaid: 'flowchart LR\n  svc_web["web"]\n' });
  expect(notes).toContain('## Diagram\n');
  expect(notes).toContain('```mermaid\nflowchart LR\n  svc_web["web"]\n```\n');
  expect(notes.indexOf('./up.sh')).toBeLessThan(notes.indexOf('```mermaid'));
  expect(notes.indexOf('```mermaid')).toBeLessThan(notes.indexOf('## Published ports'));
  expect(renderNotes(plan())).not.toContain('## Diagram');
});

test('a stack too large to draw legibly says so and how to draw it anyway', () => {
  const notes = renderNotes(plan(), undefined, { omittedServices: 1000 });
  expect(notes).toContain('Not drawn: 1000 services are more than a picture can show legibly');
  expect(notes).toContain('`compose-cdk8s explain --format svg`');
  expect(notes).not.toContain('```mermaid');
});
