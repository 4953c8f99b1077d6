import { parse } from 'yaml';
import { kindClusterConfig, planKindCluster } from '../../lib/targets/kind';
import type { PublishedPort } from '../../lib/expose/node-ports';

const port = (p: Partial<PublishedPort> & Pick<PublishedPort, 'published' | 'nodePort'>): PublishedPort => ({
  service: 'web',
  target: 80,
  protocol: 'tcp',
  ...p,
});

describe('kind cluster config', () => {
  test('maps each published host port to its NodePort, keeping the host IP and protocol', () => {
    const plan = planKindCluster(
      'shop',
      [
        port({ published: 8000, nodePort: 32464, hostIp: '127.0.0.1' }),
        port({ service: 'dyno', published: 22344, nodePort: 30000 + (22344 % 2768), protocol: 'udp', target: 22344 }),
      ],
      [],
      false,
    );
    const config = kindClusterConfig(plan) as { nodes: { extraPortMappings: unknown[] }[] };
    expect(config.nodes[0].extraPortMappings).toEqual([
      { containerPort: 32464, hostPort: 8000, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 30000 + (22344 % 2768), hostPort: 22344, protocol: 'UDP' },
    ]);
    expect(plan.ingress).toBeUndefined();
  });

  test('host-networked ports map the same port straight through', () => {
    const plan = planKindCluster('dyno', [], [{ service: 'api', port: 22344, protocol: 'udp' }], false);
    expect(plan.portMappings).toEqual([{ containerPort: 22344, hostPort: 22344, protocol: 'UDP' }]);
  });

  test('an Ingress labels the node ingress-ready and maps 80 and 443', () => {
    const plan = planKindCluster('shop', [], [], true);
    const config = kindClusterConfig(plan) as { apiVersion: string; nodes: Record<string, unknown>[] };
    expect(config.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(String(config.nodes[0].kubeadmConfigPatches)).toContain('node-labels: "ingress-ready=true"');
    expect(config.nodes[0].extraPortMappings).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { containerPort: 443, hostPort: 443, protocol: 'TCP' },
    ]);
  });

  test('when the stack publishes 80 itself, the Ingress controller moves to 8080 with a warning', () => {
    const plan = planKindCluster('proxy', [port({ published: 80, nodePort: 30080 })], [], true);
    expect(plan.ingress).toEqual({ http: 8080, https: 443 });
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['ingress-port-moved']);
  });

  test('two services on the same host port: the second is not mapped, and the user is told', () => {
    const plan = planKindCluster(
      'clash',
      [port({ published: 8000, nodePort: 32464 }), port({ service: 'api', published: 8000, nodePort: 30001 })],
      [],
      false,
    );
    expect(plan.portMappings).toHaveLength(1);
    expect(plan.diagnostics[0].message).toContain('host port 8000/tcp of api is already mapped for web');
  });

  test('the config is plain YAML kind accepts', () => {
    const text = JSON.stringify(kindClusterConfig(planKindCluster('x', [], [], false)));
    expect(parse(text)).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'x',
      nodes: [{ role: 'control-plane' }],
    });
  });
});
