import { synthProject } from '../support/synth';

describe('workload kind', () => {
  test('a long-running service is a Deployment, with replicas only when Compose sets them', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n  api:\n    image: api\n    deploy: { replicas: 3 }\n',
    );
    expect(s.find('Deployment', 'web').spec.replicas).toBeUndefined();
    expect(s.find('Deployment', 'api').spec.replicas).toBe(3);
  });

  test('restart: "no" is a Job that is never retried', () => {
    const s = synthProject('services:\n  seed:\n    image: app\n    restart: "no"\n    command: ["seed"]\n');
    expect(s.find('Job', 'seed').spec).toMatchObject({
      backoffLimit: 0,
      template: { spec: { restartPolicy: 'Never' } },
    });
  });

  test('on-failure with nothing to serve is a Job with the retry count', () => {
    const s = synthProject('services:\n  migrate:\n    image: app\n    restart: on-failure:4\n');
    expect(s.find('Job', 'migrate').spec).toMatchObject({
      backoffLimit: 4,
      template: { spec: { restartPolicy: 'OnFailure' } },
    });
  });

  test('on-failure on a server stays a Deployment, with a note', () => {
    const s = synthProject('services:\n  api:\n    image: app\n    restart: on-failure\n    ports: ["80:80"]\n');
    expect(s.find('Deployment', 'api')).toBeDefined();
    expect(s.warnings()).toContain(
      'services.api.restart: a Deployment restarts the container after any exit, also after a clean one',
    );
  });

  test('what another service waits to complete is a Job', () => {
    const s = synthProject(
      'services:\n  migrate:\n    image: app\n  web:\n    image: app\n    depends_on:\n      migrate: { condition: service_completed_successfully }\n',
    );
    expect(s.find('Job', 'migrate')).toBeDefined();
  });

  test('deploy.mode: global is a DaemonSet', () => {
    expect(
      synthProject('services:\n  agent:\n    image: agent\n    deploy: { mode: global }\n').find('DaemonSet', 'agent'),
    ).toBeDefined();
  });

  test('a Deployment that mounts a claim is replaced, not rolled, so it never waits on its own volume', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\n  web:\n    image: nginx\nvolumes:\n  data: {}\n',
    );
    expect(s.find('Deployment', 'db').spec.strategy).toEqual({ type: 'Recreate' });
    expect(s.find('Deployment', 'web').spec.strategy).toBeUndefined();
  });
});
