import { synthProject } from '../support/synth';

const note = (s: ReturnType<typeof synthProject>, service: string, key: string) =>
  s.chart.service(service).explanations.find((k) => k.key === key)?.note;

describe('a service is reached by its Compose name on every port, as on a Compose network', () => {
  // n8n's workers reach the broker on 5679 while the n8n service declares only 5678.
  const stack = `services:
  n8n:
    image: n8nio/n8n
    container_name: n8n-main
    ports: ["5678:5678"]
  worker:
    image: n8nio/n8n
    command: worker
    environment: { N8N_RUNNERS_BROKER: "http://n8n:5679" }
`;

  test('the Service named after the service is headless: the name resolves to the pods, any port answers', () => {
    const s = synthProject(stack);
    expect(s.find('Service', 'n8n').spec).toMatchObject({
      clusterIP: 'None',
      ports: [{ name: 'tcp-5678', port: 5678, targetPort: 5678, protocol: 'TCP' }],
    });
    expect(s.find('Service', 'n8n').spec.type).toBeUndefined();
  });

  test('the container_name answers the same way', () => {
    expect(synthProject(stack).find('Service', 'n8n-main').spec.clusterIP).toBe('None');
  });

  test('published ports keep their own Service, with a node port', () => {
    expect(synthProject(stack).find('Service', 'n8n-published').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ port: 5678, targetPort: 5678 }],
    });
  });

  test('explain says what a client reaches', () => {
    expect(note(synthProject(stack), 'n8n', 'ports')).toBe(
      "n8n, n8n-main resolve to the ready pods' addresses (headless Service), as on a Compose network: every port the containers listen on is reachable, not only 5678/tcp",
    );
  });
});

describe('a virtual IP only where the stack asks for one', () => {
  test.each([
    ['labels: { kompose.service.type: clusterip }', 'labels.kompose.service.type'],
    ['deploy: { endpoint_mode: vip }', 'deploy.endpoint_mode'],
  ])('%s: a ClusterIP forwarding the declared ports, and explain says the others are not reachable', (yaml, key) => {
    const s = synthProject(`services:\n  api:\n    image: x\n    expose: ["8000"]\n    ${yaml}\n`);
    expect(s.find('Service', 'api').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 8000 }] });
    expect(s.find('Service', 'api').spec.clusterIP).toBeUndefined();
    expect(note(s, 'api', key)).toContain(
      'api is a virtual IP (ClusterIP) forwarding only 8000/tcp: a port the containers listen on without declaring it is not reachable by the name',
    );
  });

  test('without a port there is nothing to forward: headless, and explain says why', () => {
    const s = synthProject('services:\n  api:\n    image: x\n    deploy: { endpoint_mode: vip }\n');
    expect(s.find('Service', 'api').spec).toEqual({
      clusterIP: 'None',
      selector: expect.any(Object),
    });
    expect(note(s, 'api', 'deploy.endpoint_mode')).toContain('no port is declared, so api resolves to the pods');
  });

  test('a StatefulSet keeps its headless governing Service even when a virtual IP is asked for', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    expose: ["5432"]\n    labels: { kompose.controller.type: statefulset, kompose.service.type: clusterip }\n',
    );
    expect(s.find('Service', 'db').spec.clusterIP).toBe('None');
  });
});
