/** The documented values of a stack's chart; their defaults reproduce the plain output. */
import type { ChartFacts, RouteFacts, ServiceFacts } from './facts';
import { leaf, map, type ValueMap, type ValueNode } from './values';

const STRING = { type: 'string' };
const LABELS_SCHEMA = { type: 'object', additionalProperties: { type: 'string' } };
const NODE_PORT = { type: ['integer', 'null'], minimum: 30000, maximum: 32767 };

/** Routes grouped by host, in the order the Ingress objects list them. */
export function ingressHosts(routes: readonly RouteFacts[]): { host: string; paths: Omit<RouteFacts, 'host'>[] }[] {
  const byHost = new Map<string, Omit<RouteFacts, 'host'>[]>();
  for (const { host, ...path } of routes) byHost.set(host, [...(byHost.get(host) ?? []), path]);
  return [...byHost].map(([host, paths]) => ({ host, paths }));
}

function serviceValues(s: ServiceFacts): ValueMap {
  const entries: [string, ValueNode][] = [
    [
      'image',
      map([
        ['repository', leaf(s.image.repository, STRING, 'Image repository.')],
        [
          'tag',
          leaf(s.image.tag, { type: ['string', 'number'] }, 'Image tag (empty: none; use --set-string for numbers).'),
        ],
        ['digest', leaf(s.image.digest, STRING, 'Image digest, e.g. sha256:… (empty: none).')],
        [
          'pullPolicy',
          leaf(
            s.pullPolicy,
            { type: 'string', enum: ['', 'Always', 'IfNotPresent', 'Never'] },
            "imagePullPolicy (empty: Kubernetes' default).",
          ),
        ],
      ]),
    ],
  ];
  if (s.replicas !== undefined) {
    entries.push(['replicas', leaf(s.replicas, { type: 'integer', minimum: 0 }, 'Number of pods (deploy.replicas).')]);
  }
  entries.push([
    'resources',
    leaf(s.resources, { type: 'object' }, 'Container resources: requests and limits (deploy.resources).'),
  ]);
  entries.push([
    'env',
    leaf(
      s.env,
      { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      'Values of the non-secret environment variables the Compose file sets (environment, env_file).',
    ),
  ]);
  if (s.published) {
    entries.push([
      'service',
      map([
        [
          'type',
          leaf(
            s.published.type,
            { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
            `Type of the Service ${s.published.serviceName} that publishes the Compose ports.`,
          ),
        ],
      ]),
    ]);
    entries.push([
      'nodePorts',
      map(
        Object.entries(s.published.nodePorts).map(([port, nodePort]) => [
          port,
          leaf(nodePort, NODE_PORT, `NodePort of port ${port} (null: the cluster picks one).`),
        ]),
        'NodePorts of the published ports; kind-cluster.yaml maps the host ports to the defaults.',
      ),
    ]);
  }
  if (s.livenessProbe) {
    entries.push([
      'livenessProbe',
      map([['enabled', leaf(true, { type: 'boolean' }, 'Restart the container when its healthcheck fails.')]]),
    ]);
  }
  return map(entries, `${s.name}: ${s.workloadKind} ${s.kubernetesName}`);
}

export function chartValues(facts: ChartFacts): ValueMap {
  const entries: [string, ValueNode][] = [
    ['namespaceOverride', leaf(facts.namespace, STRING, 'Namespace of every object (empty: the release namespace).')],
    ['commonLabels', leaf({}, LABELS_SCHEMA, 'Labels added to every object and pod.')],
    [
      'services',
      map(
        facts.services.map((s) => [s.name, serviceValues(s)]),
        'One entry per Compose service.',
      ),
    ],
  ];
  if (facts.ingresses.length > 0) {
    const classes = [...new Set(facts.ingresses.map((i) => i.className))];
    entries.push([
      'ingress',
      map(
        [
          ['enabled', leaf(true, { type: 'boolean' }, 'Create the Ingress objects.')],
          [
            'className',
            leaf(
              classes.length === 1 ? classes[0] : '',
              STRING,
              'IngressClass (empty: the class the Compose file asked for, else the cluster default).',
            ),
          ],
          [
            'hosts',
            leaf(
              ingressHosts(facts.routes),
              { type: 'array' },
              'Routes by host ("" = any host); each path names the Service and port it reaches.',
            ),
          ],
          [
            'tls',
            leaf(
              facts.tls,
              { type: 'array' },
              'TLS entries (hosts, secretName); an entry goes to the Ingress serving its hosts.',
            ),
          ],
        ],
        'HTTP routes from the Compose file (x-k8s.ingress, kompose or Traefik labels).',
      ),
    ]);
  }
  if (facts.claims.length > 0) {
    entries.push([
      'persistence',
      map(
        facts.claims.map((c) => [
          c.name,
          map([
            ['size', leaf(c.size, STRING, 'Requested storage.')],
            ['storageClass', leaf(c.storageClass, STRING, 'StorageClass (empty: the cluster default).')],
            ['existingClaim', leaf('', STRING, 'Use this existing PersistentVolumeClaim instead of creating one.')],
          ]),
        ]),
        'One PersistentVolumeClaim per named volume.',
      ),
    ]);
  }
  if (facts.secrets.length > 0) {
    entries.push([
      'secrets',
      map(
        facts.secrets.map((s) => [
          s.name,
          map([
            [
              'existingSecret',
              leaf('', STRING, `Use this Secret (keys: ${s.keys.join(', ')}) instead of creating ${s.name}.`),
            ],
            [
              'values',
              leaf(
                {},
                { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
                'Plain-text values of some keys (empty: the content read at conversion).',
              ),
            ],
          ]),
        ]),
        'Secrets of the stack. Set them with --set or a values file kept out of version control.',
      ),
    ]);
  }
  return map(entries);
}
