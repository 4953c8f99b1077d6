/**
 * Traefik's Docker labels become the service's Ingress: each router's rule its hosts and paths
 * (PathPrefix a Prefix path, Path an Exact one), the Traefik service's port its backend, `tls` a
 * TLS entry; `traefik.enable` and the Traefik container's exposedByDefault decide whether the
 * service is routed. What an Ingress cannot say is reported at its label, never dropped quietly.
 */
import { accountProblems } from '../support/account';
import { tempProject } from '../support/project';
import { synthProject, type Synthesized } from '../support/synth';

/** A service `web` (expose 8080 unless `extra` says otherwise) with these labels, as a list. */
function web(labels: readonly string[], extra = '    expose: ["8080"]\n', more = ''): string {
  return `services:\n  web:\n    image: nginx:alpine\n${extra}    labels:\n${labels.map((l) => `      - ${JSON.stringify(l)}\n`).join('')}${more}`;
}

const TRAEFIK = (flags: readonly string[]) =>
  `  traefik:\n    image: traefik:v3.1\n    command: ${JSON.stringify(flags)}\n    ports: ["80:80", "443:443"]\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n`;

const rule = (r: string) => `traefik.http.routers.web.rule=${r}`;

interface IngressPath {
  readonly path: string;
  readonly pathType: string;
  readonly backend: { readonly service: { readonly name: string; readonly port: { readonly number: number } } };
}

/** `host path pathType -> service:port` for each path of the Ingress, in order. */
function paths(s: Synthesized, name = 'web'): string[] {
  const rules: { host?: string; http: { paths: IngressPath[] } }[] = s.find('Ingress', name).spec.rules;
  return rules.flatMap((r) =>
    r.http.paths.map(
      (p) => `${r.host ?? '*'} ${p.path} ${p.pathType} -> ${p.backend.service.name}:${p.backend.service.port.number}`,
    ),
  );
}

describe('router rules become Ingress rules', () => {
  test.each([
    ['Host', 'Host(`a.example.com`)', ['a.example.com / Prefix -> web:8080']],
    [
      'Host with several hosts (v2)',
      'Host(`a.example.com`, `b.example.com`)',
      ['a.example.com / Prefix -> web:8080', 'b.example.com / Prefix -> web:8080'],
    ],
    [
      'Host || Host (v3)',
      'Host(`a.example.com`) || Host(`B.example.com`)',
      ['a.example.com / Prefix -> web:8080', 'b.example.com / Prefix -> web:8080'],
    ],
    ['Host && PathPrefix', 'Host(`a.example.com`) && PathPrefix(`/api`)', ['a.example.com /api Prefix -> web:8080']],
    ['Path: an Exact path', 'Host(`a.example.com`) && Path(`/health`)', ['a.example.com /health Exact -> web:8080']],
    ['PathPrefix alone: any host', 'PathPrefix(`/api`)', ['* /api Prefix -> web:8080']],
    [
      '&& over ||',
      'Host(`a.example.com`) && (PathPrefix(`/api`) || Path(`/login`))',
      ['a.example.com /api Prefix -> web:8080', 'a.example.com /login Exact -> web:8080'],
    ],
    [
      'PathPrefix with several paths (v2)',
      "PathPrefix(`/a`, '/b')",
      ['* /a Prefix -> web:8080', '* /b Prefix -> web:8080'],
    ],
    ['HostHeader (v2), in double quotes', 'HostHeader("a.example.com")', ['a.example.com / Prefix -> web:8080']],
  ])('%s', (_name, r, expected) => {
    const s = synthProject(web([rule(r)]));
    expect(paths(s)).toEqual(expected);
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('the ingress class is the default one, and two routers of one service share its Ingress', () => {
    const s = synthProject(
      web([
        'traefik.http.routers.site.rule=Host(`a.example.com`)',
        'traefik.http.routers.api.rule=Host(`a.example.com`) && PathPrefix(`/api`)',
      ]),
    );
    expect(s.all('Ingress')).toHaveLength(1);
    expect(s.find('Ingress', 'web').spec.ingressClassName).toBe('nginx');
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080', 'a.example.com /api Prefix -> web:8080']);
  });
});

describe('the port the routes reach', () => {
  test('loadbalancer.server.port, when the service declares it', () => {
    const s = synthProject(
      web(
        [rule('Host(`a.example.com`)'), 'traefik.http.services.web.loadbalancer.server.port=9000'],
        '    expose: ["8080", "9000"]\n',
      ),
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:9000']);
  });

  test('without the label, the lowest port the service declares, as Traefik takes', () => {
    const s = synthProject(web([rule('Host(`a.example.com`)')], '    expose: ["9000"]\n    ports: ["8443:8443"]\n'));
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8443']);
  });

  test('a port only the label names joins the Service and the container, and the outside policy opens it', () => {
    const s = synthProject(
      web([rule('Host(`a.example.com`)'), 'traefik.http.services.web.loadbalancer.server.port=80'], ''),
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:80']);
    expect(s.find('Service', 'web').spec).toMatchObject({ ports: [{ name: 'tcp-80', port: 80, targetPort: 80 }] });
    expect(s.find('Service', 'web').spec.clusterIP).toBeUndefined();
    expect(s.container('web').ports).toEqual([{ name: 'tcp-80', containerPort: 80, protocol: 'TCP' }]);
    expect(s.find('NetworkPolicy', 'web-from-outside').spec.ingress).toEqual([
      { ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
    const row = s.chart.service('web').explanations.find((e) => e.key === 'labels.traefik.http.services.web');
    expect(row).toMatchObject({ status: 'translated', objects: ['Ingress/web', 'Service/web'] });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('no label and no declared port: reported at the router, no Ingress', () => {
    const s = synthProject(web([rule('Host(`a.example.com`)')], ''));
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([
      "services.web.labels.traefik.http.routers.web: not translated: Traefik sends to the lowest port the container exposes, and the service declares none (the image's EXPOSE is not visible here): set a loadbalancer.server.port label, or list the port under expose",
    ]);
    expect(s.chart.diagnostics.find((d) => d.path?.endsWith('routers.web'))?.location).toMatchObject({
      line: 5,
      column: 9,
    });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('the router picks its Traefik service by name', () => {
    const s = synthProject(
      web(
        [
          rule('Host(`a.example.com`)'),
          'traefik.http.routers.web.service=admin',
          'traefik.http.services.site.loadbalancer.server.port=8080',
          'traefik.http.services.admin.loadbalancer.server.port=9000',
        ],
        '    expose: ["8080", "9000"]\n',
      ),
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:9000']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.services.site: not translated: no translated router sends to it (see the routers of the service)',
    ]);
  });
});

describe('which services are routed', () => {
  test('traefik.enable=false: no Ingress, and the labels say why in explain', () => {
    const s = synthProject(web(['traefik.enable=false', rule('Host(`a.example.com`)')]));
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([]);
    const row = s.chart.service('web').explanations.find((e) => e.key === 'labels.traefik.http.routers.web');
    expect(row).toMatchObject({ status: 'translated', note: expect.stringContaining('traefik.enable=false') });
  });

  test('--providers.docker.exposedbydefault=false on the Traefik container: only traefik.enable=true services', () => {
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)')])}${TRAEFIK(['--providers.docker', '--providers.docker.exposedbydefault=false'])}  api:\n    image: python:3.11-slim\n    expose: ["8000"]\n    labels:\n      traefik.enable: "true"\n      traefik.http.routers.api.rule: Host(\`api.example.com\`)\n`,
    );
    expect(s.all('Ingress').map((i) => i.metadata.name)).toEqual(['api']);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('exposed by default otherwise, as Traefik does', () => {
    const s = synthProject(`${web([rule('Host(`a.example.com`)')])}${TRAEFIK(['--providers.docker=true'])}`);
    expect(s.all('Ingress').map((i) => i.metadata.name)).toEqual(['web']);
  });

  test('x-k8s.ingress, written for the cluster, replaces the labels, which are reported', () => {
    const s = synthProject(
      web(
        [rule('Host(`a.example.com`)')],
        '    expose: ["8080"]\n    x-k8s:\n      ingress: { host: b.example.com }\n',
      ),
    );
    expect(paths(s)).toEqual(['b.example.com / Prefix -> web:8080']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.web: not translated: x-k8s.ingress routes the service instead',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test.each([
    [
      'a CronJob',
      '    labels:\n      kompose.cronjob.schedule: "@hourly"\n',
      'a CronJob gets no Service, so no Ingress routes to it',
    ],
    [
      "a service on another's network",
      '    network_mode: "service:vpn"\n',
      "the service shares another's network (network_mode), so it has no Service for an Ingress to route to",
    ],
  ])('%s: no Service to route to, the routers reported', (_name, extra, why) => {
    const yaml = `services:\n  vpn:\n    image: busybox\n  web:\n    image: nginx:alpine\n    expose: ["8080"]\n${extra}`;
    const labelled = yaml.includes('    labels:\n')
      ? `${yaml}      traefik.http.routers.web.rule: Host(\`a.example.com\`)\n`
      : `${yaml}    labels:\n      traefik.http.routers.web.rule: Host(\`a.example.com\`)\n`;
    const s = synthProject(labelled);
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toContain(`services.web.labels.traefik.http.routers.web: not translated: ${why}`);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe('TLS', () => {
  test('tls=true: a TLS entry for the hosts with no Secret, which the controller serves with its default certificate', () => {
    const s = synthProject(web([rule('Host(`a.example.com`)'), 'traefik.http.routers.web.tls=true']));
    expect(s.find('Ingress', 'web').spec.tls).toEqual([{ hosts: ['a.example.com'] }]);
    expect(s.warnings()).toEqual([]);
  });

  test('a certificate resolver: TLS all the same, and cert-manager named as what gets the certificates', () => {
    const s = synthProject(web([rule('Host(`a.example.com`)'), 'traefik.http.routers.web.tls.certresolver=le']));
    expect(s.find('Ingress', 'web').spec.tls).toEqual([{ hosts: ['a.example.com'] }]);
    expect(s.warnings()).toEqual([
      expect.stringMatching(
        /^services\.web\.labels\.traefik\.http\.routers\.web\.tls\.certresolver: Traefik gets the certificates from its resolver le \(ACME\); in the cluster cert-manager does/,
      ),
    ]);
    expect(s.chart.diagnostics[0].location).toMatchObject({ line: 7, column: 9 });
  });

  test('a router without TLS on a host another has TLS for: the redirect to HTTPS is reported', () => {
    const s = synthProject(
      web([
        'traefik.http.routers.http.rule=Host(`a.example.com`)',
        'traefik.http.routers.https.rule=Host(`a.example.com`)',
        'traefik.http.routers.https.tls=true',
      ]),
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.http: a.example.com has TLS from another router, and ingress-nginx then redirects plain HTTP to HTTPS, where this router answered over HTTP (the nginx.ingress.kubernetes.io/ssl-redirect: "false" annotation keeps HTTP)',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('only the hosts of routers with tls', () => {
    const s = synthProject(
      web([
        'traefik.http.routers.a.rule=Host(`a.example.com`)',
        'traefik.http.routers.b.rule=Host(`b.example.com`)',
        'traefik.http.routers.b.tls=true',
      ]),
    );
    expect(s.find('Ingress', 'web').spec.tls).toEqual([{ hosts: ['b.example.com'] }]);
  });
});

describe('what an Ingress cannot say is reported at its label', () => {
  const warned = (labels: readonly string[], extra?: string) => {
    const s = synthProject(web(labels, extra));
    expect(accountProblems(s.chart)).toEqual([]);
    return s;
  };

  test.each([
    [
      'HostRegexp',
      'HostRegexp(`^.+\\.example\\.com$`)',
      'HostRegexp(`^.+\\.example\\.com$`): an Ingress routes by host and path only',
    ],
    ['PathRegexp', 'PathRegexp(`^/v[0-9]+`)', 'PathRegexp(`^/v[0-9]+`): an Ingress routes by host and path only'],
    [
      'Headers',
      'Host(`a.example.com`) && Header(`X-Env`, `beta`)',
      'Header(`X-Env`, `beta`): an Ingress routes by host and path only',
    ],
    ['Method', 'Method(`POST`)', 'Method(`POST`): an Ingress routes by host and path only'],
    [
      'a negation',
      'Host(`a.example.com`) && !PathPrefix(`/admin`)',
      '!PathPrefix(`/admin`): an Ingress cannot exclude requests',
    ],
    [
      'an IP as host',
      'Host(`10.0.0.1`)',
      'Host(`10.0.0.1`): "10.0.0.1" is no Ingress host (a DNS name; not an IP address, a port or a wildcard)',
    ],
  ])('%s: the router is not translated', (_name, r, why) => {
    const s = warned([rule(r)]);
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([
      `services.web.labels.traefik.http.routers.web: not translated: the rule has nothing an Ingress can say: ${why}`,
    ]);
    expect(s.chart.diagnostics[0].location).toMatchObject({ file: 'compose.yaml', line: 6, column: 9 });
  });

  test("a router lost for its rule is reported at the rule's line", () => {
    const s = warned(['traefik.http.routers.web.entrypoints=web', rule('Method(`GET`)')]);
    expect(s.chart.diagnostics.map((d) => [d.path, d.location?.line])).toEqual([
      ['services.web.labels.traefik.http.routers.web', 7],
    ]);
    const row = s.chart.service('web').explanations.find((e) => e.key === 'labels.traefik.http.routers.web');
    expect(row?.status).toBe('dropped');
  });

  test('an alternative of || that an Ingress cannot say: the others are routed, the rule is partly translated', () => {
    const s = warned([rule('Host(`a.example.com`) || Query(`debug`, `1`)')]);
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.web.rule: only in part: Query(`debug`, `1`): an Ingress routes by host and path only',
    ]);
  });

  test('two routers on one host and path, to two ports: the first is kept, the other reported', () => {
    const s = warned(
      [
        'traefik.http.routers.a.rule=Host(`a.example.com`)',
        'traefik.http.routers.a.service=a',
        'traefik.http.services.a.loadbalancer.server.port=8080',
        'traefik.http.routers.b.rule=Host(`a.example.com`) || Path(`/b`)',
        'traefik.http.routers.b.service=b',
        'traefik.http.services.b.loadbalancer.server.port=9000',
      ],
      '    expose: ["8080", "9000"]\n',
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080', '* /b Exact -> web:9000']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.b: a.example.com/ (Prefix) is routed by router a too, to port 8080: an Ingress sends a path to one port, so 9000 is left out',
    ]);
  });

  test('a wildcard in Host, which Traefik takes literally', () => {
    const s = warned([rule('Host(`*.example.com`)')]);
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.web: not translated: the rule has nothing an Ingress can say: Host(`*.example.com`): "*.example.com" is no Ingress host (a DNS name; not an IP address, a port or a wildcard)',
    ]);
  });

  test('a rule that does not parse', () => {
    const s = warned([rule('Host(`a.example.com`')]);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.web: not translated: the rule does not parse (expected ")" at the end); Traefik rejects the router too',
    ]);
  });

  test('middlewares: the router is routed, the middleware and its use reported', () => {
    const s = warned([
      rule('Host(`a.example.com`)'),
      'traefik.http.routers.web.middlewares=strip',
      'traefik.http.middlewares.strip.stripprefix.prefixes=/api',
    ]);
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.http.routers.web.middlewares: not translated: an Ingress has no middlewares (strip): the ingress controller does such things with annotations of its own (see the warning at each middleware)',
      'services.web.labels.traefik.http.middlewares.strip: not translated: Traefik middleware strip (stripprefix): an Ingress has none; ingress-nginx rewrites paths with nginx.ingress.kubernetes.io/rewrite-target',
    ]);
    expect(s.chart.diagnostics.map((d) => d.location?.line)).toEqual([7, 8]);
  });

  test("a router to Traefik's own dashboard (api@internal)", () => {
    const s = warned([rule('Host(`traefik.example.com`)'), 'traefik.http.routers.web.service=api@internal']);
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([
      "services.web.labels.traefik.http.routers.web.service: not translated: api@internal is a service of another provider (Traefik's own dashboard or API): the cluster's ingress controller has no such service",
    ]);
  });

  test('TCP and UDP routers', () => {
    const s = warned([
      'traefik.tcp.routers.db.rule=HostSNI(`*`)',
      'traefik.tcp.services.db.loadbalancer.server.port=5432',
      'traefik.udp.routers.dns.entrypoints=dns',
    ]);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.tcp.routers.db: not translated: an Ingress routes HTTP only, not TCP: publish the port under ports for a NodePort or LoadBalancer Service',
      'services.web.labels.traefik.tcp.services.db: not translated: an Ingress routes HTTP only, not TCP: publish the port under ports for a NodePort or LoadBalancer Service',
      'services.web.labels.traefik.udp.routers.dns: not translated: an Ingress routes HTTP only, not UDP: publish the port under ports for a NodePort or LoadBalancer Service',
    ]);
  });

  test('an entry point on another port than 80 or 443', () => {
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)'), 'traefik.http.routers.web.entrypoints=admin'])}${TRAEFIK([
        '--providers.docker',
        '--entrypoints.admin.address=:8081',
      ])}`,
    );
    expect(paths(s)).toEqual(['a.example.com / Prefix -> web:8080']);
    expect(s.warnings()).toContain(
      'services.web.labels.traefik.http.routers.web.entrypoints: the ingress controller serves the route on ports 80 and 443 (HTTPS), not on entry point admin (:8081) of traefik',
    );
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('no router: Traefik would route by its defaultRule, which is not guessed', () => {
    const s = warned(['traefik.enable=true', 'traefik.http.services.web.loadbalancer.server.port=8080']);
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toEqual([
      expect.stringMatching(
        /^services\.web\.labels\.traefik\.http\.services\.web: not translated: no router: Traefik routes the container by its defaultRule/,
      ),
    ]);
  });

  test('Traefik v1 labels', () => {
    const s = warned(['traefik.frontend.rule=Host:a.example.com', 'traefik.port=8080']);
    expect(s.warnings()).toEqual([
      'services.web.labels.traefik.frontend.rule: not translated: not a Traefik v2 or v3 label of routers, services or middlewares (v1 labels are not read)',
      'services.web.labels.traefik.port: not translated: not a Traefik v2 or v3 label of routers, services or middlewares (v1 labels are not read)',
    ]);
  });
});

describe('the Traefik container', () => {
  test('routing all by Docker labels: reported as replaceable by the ingress controller, and converted as before', () => {
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)')])}${TRAEFIK(['--providers.docker', '--entrypoints.web.address=:80'])}`,
    );
    expect(s.warnings()).toContain(
      "services.traefik.command: Traefik's Docker provider routes by the labels of the containers the Docker API lists, and the stack's pods are no Docker containers: their labels became Ingress objects, which the cluster's ingress controller serves, so this service can be left out (it is converted all the same)",
    );
    expect(s.find('Deployment', 'traefik').spec.template.spec.containers[0].args).toEqual([
      '--providers.docker',
      '--entrypoints.web.address=:80',
    ]);
    expect(s.chart.service('traefik').traefik.replaceableProxy).toBe(true);
  });

  test('with another provider too (a file of routes), it is not', () => {
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)')])}${TRAEFIK(['--providers.docker', '--providers.file.directory=/etc/traefik/dynamic'])}`,
    );
    expect(s.warnings().filter((w) => w.startsWith('services.traefik.command'))).toEqual([]);
  });

  test('its static configuration read from TRAEFIK_* variables', () => {
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)')])}  traefik:\n    image: docker.io/library/traefik:2.11\n    environment:\n      TRAEFIK_PROVIDERS_DOCKER: "true"\n      TRAEFIK_PROVIDERS_DOCKER_EXPOSEDBYDEFAULT: "false"\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n`,
    );
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toContainEqual(
      expect.stringMatching(/^services\.traefik\.environment: Traefik's Docker provider routes by the labels/),
    );
  });

  test('its static configuration read from a mounted traefik.yml', () => {
    const workingDir = tempProject({
      'traefik.yml': 'providers:\n  docker:\n    exposedByDefault: false\nentryPoints:\n  web:\n    address: ":80"\n',
    });
    const s = synthProject(
      `${web([rule('Host(`a.example.com`)')])}  traefik:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro\n`,
      { workingDir },
    );
    expect(s.all('Ingress')).toEqual([]);
    expect(s.warnings()).toContainEqual(
      expect.stringMatching(/^services\.traefik\.volumes: Traefik's Docker provider routes by the labels/),
    );
  });
});
