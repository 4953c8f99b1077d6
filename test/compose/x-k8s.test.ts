/**
 * `x-k8s` is checked like the rest of the file: an unknown key is a warning with a did-you-mean,
 * a value of the wrong type an error (the CLI exits 2), both at the key's file:line:column; what
 * passes reaches the model typed.
 */
import { loadErrors, loadWarnings, projectFrom } from '../support/project';
import { synthProject } from '../support/synth';

const web = (xk8s: string[]) =>
  ['services:', '  web:', '    image: nginx', '    ports: ["8080:80"]', '    x-k8s:', ...xk8s].join('\n') + '\n';

describe('unknown x-k8s keys are warnings with a suggestion', () => {
  test('a misspelt service key', () => {
    expect(loadWarnings(web(['      ingres: { host: shop.localhost }']))).toEqual([
      'compose.yaml:6:7: services.web.x-k8s.ingres: unknown key "ingres" in x-k8s, ignored (did you mean "ingress"?)',
    ]);
  });

  test('a misspelt key inside ingress, in the list form too', () => {
    expect(loadWarnings(web(['      ingress:', '        - host: a.localhost', '          clasName: nginx']))).toEqual([
      'compose.yaml:8:11: services.web.x-k8s.ingress[0].clasName: unknown key "clasName" in x-k8s, ignored (did you mean "className"?)',
    ]);
  });

  test('a misspelt key of a top-level volume', () => {
    expect(
      loadWarnings(
        'services:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n    x-k8s:\n      storageClass: fast\n',
      ),
    ).toEqual([
      'compose.yaml:8:7: volumes.data.x-k8s.storageClass: unknown key "storageClass" in x-k8s, ignored (did you mean "storageClassName"?)',
    ]);
  });

  test('a key nothing resembles lists the known keys', () => {
    expect(loadWarnings(web(['      replicasMax: 3']))).toEqual([
      'compose.yaml:6:7: services.web.x-k8s.replicasMax: unknown key "replicasMax" in x-k8s, ignored (known here: ingress, liveness, volumes, env)',
    ]);
  });

  test('per-service volume options for a volume the service does not mount', () => {
    expect(
      loadWarnings(
        'services:\n  db:\n    image: postgres\n    volumes: [data:/data]\n    x-k8s:\n      volumes:\n        dta: { size: 5Gi }\nvolumes:\n  data: {}\n',
      ),
    ).toEqual([
      'compose.yaml:7:9: services.db.x-k8s.volumes.dta: the service mounts no named volume "dta": ignored (did you mean "data"?)',
    ]);
  });

  test('x-k8s where nothing reads it', () => {
    expect(
      loadWarnings('services:\n  web:\n    image: nginx\nnetworks:\n  back:\n    x-k8s: { policy: none }\n'),
    ).toEqual([
      'compose.yaml:6:5: networks.back.x-k8s: x-k8s is only read under a service or a top-level volume: ignored here',
    ]);
    expect(loadWarnings('x-k8s: { namespace: shop }\nservices:\n  web:\n    image: nginx\n')).toEqual([
      'compose.yaml:1:1: x-k8s: x-k8s is only read under a service or a top-level volume: ignored here',
    ]);
  });

  test('other x- extensions stay free', () => {
    expect(loadWarnings('services:\n  web:\n    image: nginx\n    x-team: { owner: me }\n')).toEqual([]);
  });
});

describe('wrong types in x-k8s are errors', () => {
  test('liveness is a boolean', () => {
    expect(loadErrors(web(['      liveness: maybe']))).toEqual([
      'compose.yaml:6:7: services.web.x-k8s.liveness: must be true or false, not "maybe"',
    ]);
  });

  test('ingress.port is a port number', () => {
    expect(loadErrors(web(['      ingress: { port: http }']))).toEqual([
      'compose.yaml:6:18: services.web.x-k8s.ingress.port: must be a port number (1-65535), not "http"',
    ]);
    expect(loadErrors(web(['      ingress: { port: 70000 }']))[0]).toContain('must be a port number');
  });

  test('x-k8s itself is a mapping', () => {
    expect(loadErrors(web(['      - ingress']))).toEqual([
      'compose.yaml:5:5: services.web.x-k8s: must be a mapping, not a list',
    ]);
  });

  test('ingress is a mapping or a list of them', () => {
    expect(loadErrors(web(['      ingress: shop.localhost']))).toEqual([
      'compose.yaml:6:7: services.web.x-k8s.ingress: must be a mapping, not "shop.localhost"',
    ]);
  });

  test('ingress hosts, paths and names are ones the API server accepts, never an Ingress it refuses', () => {
    expect(
      loadErrors(
        web([
          '      ingress: { host: Shop.local, paths: [/api//v1, ok], className: Nginx, tls: { secretName: a_tls } }',
        ]),
      ),
    ).toEqual([
      'compose.yaml:6:18: services.web.x-k8s.ingress.host: "Shop.local" must be a lowercase DNS name: letters a-z, digits, "-" and ".", starting and ending with a letter or digit (e.g. example.com)',
      'compose.yaml:6:44: services.web.x-k8s.ingress.paths[0]: "/api//v1" must not contain \'//\'',
      'compose.yaml:6:59: services.web.x-k8s.ingress.className: "Nginx" must be a lowercase DNS name (letters a-z, digits, "-" and ".")',
      'compose.yaml:6:84: services.web.x-k8s.ingress.tls.secretName: "a_tls" must be a lowercase DNS name (letters a-z, digits, "-" and ".")',
    ]);
    expect(loadErrors(web(['      ingress: { host: 10.0.0.1 }']))[0]).toContain(
      'must be a DNS name, not an IP address',
    );
    expect(
      projectFrom(web(['      ingress: { host: "*.shop.local", paths: [api] }'])).services.web.k8s.ingress,
    ).toEqual([{ host: '*.shop.local', paths: ['api'] }]);
  });

  test('access modes are Kubernetes access modes', () => {
    expect(
      loadErrors(
        'services:\n  db:\n    image: postgres\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-k8s:\n      accessModes: [ReadWriteMnay]\n',
      ),
    ).toEqual([
      'compose.yaml:8:21: volumes.data.x-k8s.accessModes[0]: "ReadWriteMnay" is not one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (did you mean "ReadWriteMany"?)',
    ]);
  });

  test('per-service volume options are mappings of strings', () => {
    expect(loadErrors(web(['      volumes:', '        data: { size: [1Gi] }']))).toEqual([
      'compose.yaml:7:17: services.web.x-k8s.volumes.data.size: must be a string, not a list',
    ]);
  });
});

describe('valid x-k8s reaches the model typed', () => {
  test('service keys', () => {
    const project = projectFrom(
      web([
        '      liveness: false',
        '      ingress:',
        '        - { host: a.localhost, paths: [/, /api], port: 80, tls: { secretName: a-tls } }',
        '        - { path: /b, className: traefik }',
        '      volumes:',
        '        data: { size: 5Gi, subPath: web }',
      ]),
    );
    expect(project.services.web.k8s).toEqual({
      liveness: false,
      ingress: [
        { host: 'a.localhost', paths: ['/', '/api'], port: 80, tls: { secretName: 'a-tls' } },
        { path: ['/b'], className: 'traefik' },
      ],
      volumes: { data: { size: '5Gi', subPath: 'web' } },
    });
  });

  test('interpolated values are read by type: "false" is false, "8080" a port', () => {
    const project = projectFrom(web(['      liveness: ${LIVE}', '      ingress: { port: "${PORT}" }']), {
      environment: { LIVE: 'false', PORT: '80' },
    });
    expect(project.services.web.k8s).toEqual({ liveness: false, ingress: [{ port: 80 }] });
  });

  test('volume keys', () => {
    const project = projectFrom(
      'services:\n  db:\n    image: postgres\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-k8s: { size: 10Gi, storageClassName: standard, accessModes: [ReadWriteMany] }\n',
    );
    expect(project.volumes.data.k8s).toEqual({
      size: '10Gi',
      storageClassName: 'standard',
      accessModes: ['ReadWriteMany'],
    });
  });

  test('no x-k8s: nothing set', () => {
    expect(projectFrom('services:\n  web:\n    image: nginx\n').services.web.k8s).toEqual({});
  });
});

test('explain shows a misspelt x-k8s key instead of "translated"', () => {
  const s = synthProject(web(['      ingres: { host: shop.localhost }']));
  expect(s.chart.service('web').explanations.find((k) => k.key === 'x-k8s')).toMatchObject({
    key: 'x-k8s',
    status: 'dropped',
    objects: [],
    fields: [],
    note: 'x-k8s.ingres: unknown key "ingres" in x-k8s, ignored (did you mean "ingress"?)',
  });
  // convert printed it once, as a load warning: the chart does not repeat it.
  expect(s.warnings().filter((w) => w.includes('ingres'))).toEqual([]);
});
