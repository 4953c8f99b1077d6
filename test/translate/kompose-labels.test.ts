/** kompose labels: values are checked where they are written, unknown ones named, each one explained. */
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { initCommand, probeCommand } from '../../lib/translate/kompose-label-values';
import { synthProject } from '../support/synth';

const errorsOf = (yaml: string) =>
  synthProject(yaml)
    .chart.diagnostics.filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic({ ...d, location: d.location && { ...d.location, file: 'compose.yaml' } }));

const web = (labels: string, extra = '') =>
  `services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n${extra}    labels:\n${labels}`;

describe('kompose label values', () => {
  test.each([
    [
      'kompose.service.type: nodeports',
      'kompose.service.type: "nodeports" is not one of nodeport, clusterip, loadbalancer, headless',
    ],
    ['kompose.service.external-traffic-policy: global', '"global" is not one of local, cluster'],
    ['kompose.controller.type: replicaset', '"replicaset" is not one of deployment, daemonset, statefulset'],
    ['kompose.image-pull-policy: always', '"always" is not one of Always, Never, IfNotPresent'],
    ['kompose.volume.type: nfs', '"nfs" is not one of persistentVolumeClaim, emptyDir, hostPath, configMap'],
    ['kompose.volume.size: lots', '"lots" is not a quantity (e.g. 10Gi)'],
    ['kompose.volume.subpath: /data', 'Kubernetes rejects an absolute subPath'],
    ['kompose.cronjob.schedule: "every day"', '"every day" is not a cron schedule'],
    ['kompose.service.healthcheck.readiness.interval: "10"', '"10" is not a duration'],
    ['kompose.service.healthcheck.readiness.tcp_port: "http"', '"http" is not a port number'],
    ['kompose.security-context.fsgroup: staff', '"staff" is not a group id'],
  ])('%s is an error at the label', (label, message) => {
    const errors = errorsOf(web(`      ${label}\n`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^compose\.yaml:6:7: services\.web\.labels\.kompose\./);
    expect(errors[0]).toContain(message);
  });

  test('a label in list form is located at its list item', () => {
    const errors = errorsOf(web('      - app=shop\n      - kompose.service.type=bogus\n'));
    expect(errors[0]).toMatch(/^compose\.yaml:7:9: services\.web\.labels\.kompose\.service\.type: "bogus"/);
  });

  test('combinations kompose rejects are errors too', () => {
    expect(errorsOf(web('      kompose.service.nodeport.port: "30080"\n'))[0]).toContain(
      'needs kompose.service.type: nodeport',
    );
    expect(errorsOf(web('      kompose.service.expose.tls-secret: shop-tls\n'))[0]).toContain(
      'set without kompose.service.expose',
    );
    expect(
      errorsOf(
        'services:\n  web:\n    image: nginx\n    ports: ["8080:80", "8443:443"]\n    labels:\n      kompose.service.type: nodeport\n      kompose.service.nodeport.port: "30080"\n',
      )[0],
    ).toContain('publishes several ports');
  });

  test('an unknown kompose label is a warning with a suggestion, other labels stay annotations', () => {
    const s = synthProject(web('      kompose.servce.type: nodeport\n      app: shop\n'));
    expect(s.warnings()).toContain(
      'services.web.labels.kompose.servce.type: not translated: unknown kompose label (did you mean "kompose.service.type"?): kompose ignores it too',
    );
    expect(s.find('Deployment', 'web').spec.template.metadata.annotations).toEqual({ app: 'shop' });
  });

  test("the user guide's kompose.controller.expose.port points at the label kompose's code reads", () => {
    expect(synthProject(web('      kompose.controller.expose.port: "true"\n')).warnings()).toContain(
      'services.web.labels.kompose.controller.expose.port: not translated: unknown kompose label (did you mean "kompose.controller.port.expose"?): kompose ignores it too',
    );
  });

  test.each([
    ['kompose.service.group: sidecar', 'one pod per Compose service'],
    ['kompose.service.name_override: front', 'objects keep the Compose service name'],
    ['kompose.service.expose.path: /api', 'kompose never reads it'],
    [
      'kompose.service.healthcheck.liveness.interval: 5s',
      'kompose reads only http_get_path, http_get_port and tcp_port',
    ],
    ['kompose.cronjob.backoff_limit: "2"', 'no kompose.cronjob.schedule'],
    ['kompose.init.containers.name: setup', 'no kompose.init.containers.image'],
  ])('%s is a warning saying why it is not honoured', (label, why) => {
    const warnings = synthProject(web(`      ${label}\n`)).warnings();
    const name = label.split(':')[0];
    expect(warnings.find((w) => w.startsWith(`services.web.labels.${name}: not translated:`))).toContain(why);
  });
});

describe('kompose.service.expose: a boolean in any case, or hosts the API server accepts', () => {
  const rules = (value: string) => {
    const s = synthProject(web(`      kompose.service.expose: ${JSON.stringify(value)}\n`));
    return { s, rules: s.all('Ingress').flatMap((i) => i.spec.rules as { host?: string }[]) };
  };

  test('"true" is an Ingress for any host, with no warning', () => {
    const { s, rules: r } = rules('true');
    expect(r.map((x) => x.host)).toEqual([undefined]);
    expect(s.warnings().filter((w) => w.includes('kompose.service.expose'))).toEqual([]);
  });

  test.each(['True', 'TRUE'])('"%s" means true, with a warning that kompose would take it for a host', (value) => {
    const { s, rules: r } = rules(value);
    expect(r.map((x) => x.host)).toEqual([undefined]);
    expect(s.warnings()).toContain(
      `services.web.labels.kompose.service.expose: "${value}" read as true: kompose compares with "true" exactly and would take "${value}" for a host name, an Ingress the API server refuses`,
    );
  });

  test('"False" means no Ingress, with the same warning', () => {
    const { s, rules: r } = rules('False');
    expect(r).toEqual([]);
    expect(s.warnings().join('\n')).toContain('"False" read as false');
  });

  test('a host list: one rule per host[/path], as kompose splits it', () => {
    const { rules: r } = rules('shop.example.com/api, *.example.com ,true');
    expect(r.map((x) => [x.host, (x as { http: { paths: { path: string }[] } }).http.paths[0].path])).toEqual([
      ['shop.example.com', '/api'],
      ['*.example.com', '/'],
      [undefined, '/'],
    ]);
  });

  test.each([
    ['Shop.example.com', 'host "Shop.example.com" must be a lowercase DNS name'],
    ['10.0.0.1', 'host "10.0.0.1" must be a DNS name, not an IP address'],
    ['shop_1.local', 'host "shop_1.local" must be a lowercase DNS name'],
    ['shop.local//api', 'path "//api" must not contain \'//\''],
  ])('%s is an error at the label, and no Ingress is written', (value, message) => {
    const snippet = web(`      kompose.service.expose: "${value}"\n`);
    const errors = errorsOf(snippet);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `compose.yaml:6:7: services.web.labels.kompose.service.expose: "${value}" is not true or a list of host[/path]: ${message}`,
    );
    expect(synthProject(snippet).all('Ingress')).toEqual([]);
  });

  test('the labels kompose reads with Go\'s ParseBool take "True" and "TRUE" as true, silently, as kompose does', () => {
    for (const value of ['True', 'TRUE']) {
      const s = synthProject(
        web(
          `      kompose.controller.port.expose: "${value}"\n      kompose.service.healthcheck.readiness.disable: "${value}"\n`,
          '    healthcheck: { test: ["CMD", "true"] }\n',
        ),
      );
      expect(s.container('web').ports[0].hostPort).toBe(8080);
      expect(s.container('web').readinessProbe).toBeUndefined();
      expect(s.warnings().filter((w) => w.includes(value) || w.includes('read as'))).toEqual([]);
    }
  });

  test('an expose value in error is the only error: its TLS Secret is not reported as set without it', () => {
    const errors = errorsOf(
      web('      kompose.service.expose: "Shop.local"\n      kompose.service.expose.tls-secret: shop-tls\n'),
    );
    expect(errors).toHaveLength(1);
  });
});

describe('kompose label syntax', () => {
  test('readiness.test: a Compose list, a string split like a shell, CMD-SHELL in a shell, NONE disables', () => {
    expect(probeCommand('["CMD", "curl", "-f", "http://localhost/"]')).toEqual({
      command: ['curl', '-f', 'http://localhost/'],
      disable: false,
    });
    expect(probeCommand('pg_isready -U "app user"')).toEqual({
      command: ['pg_isready', '-U', 'app user'],
      disable: false,
    });
    expect(probeCommand('["CMD-SHELL", "curl -f localhost || exit 1"]')).toEqual({
      command: ['/bin/sh', '-c', 'curl -f localhost || exit 1'],
      disable: false,
    });
    expect(probeCommand('NONE')).toEqual({ disable: true });
  });

  test("init.containers.command: a YAML list, kompose's bracketed comma list, or one word", () => {
    expect(initCommand('["echo","Initializing..."]')).toEqual(['echo', 'Initializing...']);
    expect(initCommand("[sh, '-c', 'echo hi']")).toEqual(['sh', '-c', 'echo hi']);
    expect(initCommand('migrate')).toEqual(['migrate']);
  });
});

describe('explain: one row per kompose label', () => {
  test('each label says what it became, or why not', () => {
    const s = synthProject(
      web(
        '      app: shop\n      kompose.service.type: nodeport\n      kompose.hpa.cpu: "80"\n      kompose.service.group: x\n',
        '    deploy: { resources: { reservations: { cpus: "0.5", memory: 128M } } }\n',
      ),
    );
    const rows = Object.fromEntries(s.chart.service('web').explanations.map((k) => [k.key, k]));
    expect(rows['labels']).toMatchObject({
      objects: ['Deployment/web'],
      fields: ['spec.template.metadata.annotations'],
    });
    expect(rows['labels.kompose.service.type']).toMatchObject({
      status: 'translated',
      objects: ['Service/web-published'],
      fields: ['spec.type'],
    });
    expect(rows['labels.kompose.hpa.cpu']).toMatchObject({
      status: 'translated',
      objects: ['HorizontalPodAutoscaler/web'],
      fields: ['spec.metrics'],
    });
    expect(rows['labels.kompose.service.group']).toMatchObject({ status: 'dropped', objects: [] });
    expect(rows['labels.kompose.service.group'].note).toContain('one pod per Compose service');
  });

  test('a label whose value is wrong is dropped in explain, with the reason', () => {
    const s = synthProject(web('      kompose.controller.type: replicaset\n'));
    const row = s.chart.service('web').explanations.find((k) => k.key === 'labels.kompose.controller.type');
    expect(row).toMatchObject({ status: 'dropped', objects: [] });
    expect(row?.note).toContain('is not one of deployment, daemonset, statefulset');
  });
});
