import { synthProject } from '../support/synth';
import { tempProject } from '../support/project';

const note = (s: ReturnType<typeof synthProject>, service: string, key: string) =>
  s.chart.service(service).explanations.find((k) => k.key === key)?.note;

describe('a service is reached by its Compose name on the ports the stack uses, declared or not', () => {
  // n8n's workers reach the task broker on 5679 while the n8n service declares only 5678.
  const stack = `services:
  n8n:
    image: n8nio/n8n
    container_name: n8n-main
    ports: ["5678:5678"]
  worker:
    image: n8nio/n8n
    command: worker
    environment: { N8N_RUNNERS_TASK_BROKER_URI: "http://n8n:5679" }
`;

  test('the Service forwards the declared port and the one a variable names', () => {
    const s = synthProject(stack);
    expect(s.find('Service', 'n8n').spec.ports).toEqual([
      { name: 'tcp-5678', port: 5678, targetPort: 5678, protocol: 'TCP' },
      { name: 'tcp-5679', port: 5679, targetPort: 5679, protocol: 'TCP' },
    ]);
    expect(s.container('n8n').ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([5678, 5679]);
  });

  test('it stays a virtual IP, so a client that resolved it once survives a rollout; its other names too', () => {
    const s = synthProject(stack);
    expect(s.find('Service', 'n8n').spec.clusterIP).toBeUndefined();
    expect(s.find('Service', 'n8n-main').spec.ports.map((p: { port: number }) => p.port)).toEqual([5678, 5679]);
  });

  test('published ports keep their own Service; the named port is not published', () => {
    expect(synthProject(stack).find('Service', 'n8n-published').spec.ports).toEqual([
      expect.objectContaining({ port: 5678, targetPort: 5678 }),
    ]);
  });

  test('explain says what a client reaches, and where the stack names the port', () => {
    expect(note(synthProject(stack), 'n8n', 'ports')).toBe(
      "n8n, n8n-main are virtual IPs (ClusterIP, unchanged when pods are replaced) forwarding 5678/tcp, and 5679/tcp (named by worker environment.N8N_RUNNERS_TASK_BROKER_URI): a port the containers listen on that the stack neither declares nor names is not reachable by the name (add it under expose, or deploy.endpoint_mode: dnsrr resolves the name to the pods, every port, as Compose's DNS)",
    );
  });

  test.each([
    ['a URL', 'API_URL: "http://api:9000/v1"', [8000, 9000]],
    ['host and port variables', 'API_HOST: api\n      API_PORT: "9001"', [8000, 9001]],
    ['a command', 'X: "1"\n    command: ["sh", "-c", "nc -z api:9002 && run"]', [8000, 9002]],
    ['another host that ends like it', 'URL: "http://x.api:9003"', [8000]],
    ['a longer name', 'URL: "http://myapi:9004"', [8000]],
    ['a port without a host', 'PORT: "9005"', [8000]],
  ])('%s', (_, env, ports) => {
    const s = synthProject(
      `services:\n  api:\n    image: x\n    expose: ["8000"]\n  client:\n    image: y\n    environment:\n      ${env}\n`,
    );
    expect(s.find('Service', 'api').spec.ports.map((p: { port: number }) => p.port)).toEqual(ports);
  });

  test('a mounted configuration file naming the port counts (nginx upstream)', () => {
    const workingDir = tempProject({
      'nginx.conf': 'server {\n  location /admin/ { proxy_pass http://api:8081/; }\n}\n',
    });
    const s = synthProject(
      'services:\n  api:\n    image: x\n    expose: ["8000"]\n  proxy:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"]\n',
      { workingDir },
    );
    expect(s.find('Service', 'api').spec.ports.map((p: { port: number }) => p.port)).toEqual([8000, 8081]);
    expect(note(s, 'api', 'expose')).toContain('8081/tcp (named by proxy nginx.conf)');
  });

  test('a service that declares no port resolves to its pods: every port answers, nothing to add', () => {
    const s = synthProject(
      'services:\n  broker:\n    image: x\n  worker:\n    image: y\n    environment: { B: "broker:5679" }\n',
    );
    expect(s.find('Service', 'broker').spec).toEqual({ clusterIP: 'None', selector: expect.any(Object) });
  });
});

describe('the pods’ addresses where the stack asks for them', () => {
  test.each([
    ['deploy: { endpoint_mode: dnsrr }', 'deploy.endpoint_mode'],
    ['labels: { kompose.service.type: headless }', 'labels.kompose.service.type'],
  ])('%s: headless, every port reachable, and explain says the cost', (yaml, key) => {
    const s = synthProject(`services:\n  api:\n    image: x\n    expose: ["8000"]\n    ${yaml}\n`);
    expect(s.find('Service', 'api').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 8000 }] });
    expect(note(s, 'api', key)).toContain(
      "api resolves to the ready pods' addresses (headless Service), as on a Compose network: every port the containers listen on is reachable; a client that resolves the name once keeps a replaced pod's old address",
    );
  });

  test('a StatefulSet keeps its headless governing Service', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    expose: ["5432"]\n    labels: { kompose.controller.type: statefulset }\n',
    );
    expect(s.find('Service', 'db').spec.clusterIP).toBe('None');
  });
});
