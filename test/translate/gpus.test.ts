/** gpus and deploy.resources.reservations.devices: one device request in, the device plugin's resource out. */
import { accountProblems } from '../support/account';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const devices = (items: string) =>
  synthProject(
    `services:\n  ml:\n    image: ml\n    deploy:\n      resources:\n        reservations:\n          devices:\n${items}`,
  );

describe('device reservations', () => {
  test('an NVIDIA GPU with a count: that many nvidia.com/gpu in the limits', () => {
    const s = devices('            - driver: nvidia\n              count: 2\n              capabilities: [gpu]\n');
    expect(s.container('ml').resources).toEqual({ limits: { 'nvidia.com/gpu': '2' } });
    expect(s.container('ml').env).toBeUndefined();
    expect(s.warnings()).toEqual([]);
    const row = s.chart.service('ml').explanations.find((r) => r.key === 'deploy.resources.reservations.devices');
    expect(row).toMatchObject({
      status: 'translated',
      fields: ['spec.template.spec.containers[0].resources.limits."nvidia.com/gpu"'],
    });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('no driver, capability gpu: NVIDIA, as Docker picks the driver registered for gpu', () => {
    const s = devices('            - capabilities: [gpu]\n              count: 1\n');
    expect(s.container('ml').resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
  });

  test('NVIDIA driver capabilities: NVIDIA_DRIVER_CAPABILITIES, as Docker sets it; the service may set its own', () => {
    const item =
      '            - driver: nvidia\n              count: 1\n              capabilities: [gpu, compute, video]\n';
    expect(devices(item).container('ml').env).toEqual([{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,video' }]);
    const own = synthProject(
      `services:\n  ml:\n    image: ml\n    environment: { NVIDIA_DRIVER_CAPABILITIES: all }\n    deploy:\n      resources:\n        reservations:\n          devices:\n${item}`,
    );
    expect(own.container('ml').env).toEqual([{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'all' }]);
  });

  test.each([
    ['amd', 'amd.com/gpu'],
    ['intel', 'gpu.intel.com/i915'],
  ])("driver %s: the %s device plugin's resource", (driver, resource) => {
    const s = devices(`            - driver: ${driver}\n              count: 1\n              capabilities: [gpu]\n`);
    expect(s.container('ml').resources.limits).toEqual({ [resource]: '1' });
  });

  test('count all, or no count: 1, with a warning saying what to set', () => {
    for (const item of [
      '            - driver: nvidia\n              count: all\n              capabilities: [gpu]\n',
      '            - driver: nvidia\n              count: -1\n              capabilities: [gpu]\n',
      '            - driver: nvidia\n              capabilities: [gpu]\n',
    ]) {
      const s = devices(item);
      expect(s.container('ml').resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
      expect(s.warnings()).toEqual([
        expect.stringMatching(
          /^services\.ml\.deploy\.resources\.reservations\.devices\[0\](\.count)?: all the node's GPUs: Kubernetes allocates a fixed number, so nvidia\.com\/gpu: 1 was written; set it to the number of GPUs of your nodes$/,
        ),
      ]);
      expect(accountProblems(s.chart)).toEqual([]);
    }
  });

  test('device_ids: as many devices, the IDs reported (the plugin chooses which)', () => {
    const s = devices(
      '            - driver: nvidia\n              device_ids: ["0", "3"]\n              capabilities: [gpu]\n',
    );
    expect(s.container('ml').resources.limits).toEqual({ 'nvidia.com/gpu': '2' });
    expect(s.warnings()).toEqual([
      'services.ml.deploy.resources.reservations.devices[0].device_ids: Kubernetes cannot pick devices by ID: wrote nvidia.com/gpu: 2, and the device plugin chooses which 2 (not 0, 3)',
    ]);
  });

  test('options are reported; a device that is no GPU, or an unknown driver, is reported and the others kept', () => {
    const s = devices(
      '            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n              options: { virtualization: "false" }\n            - capabilities: [tpu]\n            - driver: cdi\n              device_ids: [vendor.com/device=0]\n              capabilities: [gpu]\n',
    );
    expect(s.container('ml').resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
    expect(s.warnings()).toEqual([
      "services.ml.deploy.resources.reservations.devices[1]: not translated: capabilities [tpu] name no GPU: request the device plugin's resource in resources.limits",
      'services.ml.deploy.resources.reservations.devices[2]: not translated: no Kubernetes device plugin resource is known for the driver "cdi" (nvidia, amd, intel): request the plugin\'s resource in resources.limits',
      "services.ml.deploy.resources.reservations.devices[0].options: not translated: driver options are the device plugin's configuration, not the pod's",
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('GPUs next to cpu and memory limits: all in one limits', () => {
    const s = synthProject(
      'services:\n  ml:\n    image: ml\n    deploy:\n      resources:\n        limits: { cpus: "2", memory: 4g }\n        reservations:\n          devices: [{ driver: nvidia, count: 1, capabilities: [gpu] }]\n',
    );
    expect(s.container('ml').resources).toEqual({ limits: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' } });
  });
});

describe('gpus', () => {
  test('gpus: all: one NVIDIA GPU, with a warning', () => {
    const s = synthProject('services:\n  ml:\n    image: ml\n    gpus: all\n');
    expect(s.container('ml').resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    expect(s.warnings()).toEqual([
      "services.ml.gpus: all the node's GPUs: Kubernetes allocates a fixed number, so nvidia.com/gpu: 1 was written; set it to the number of GPUs of your nodes",
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a list of requests: counted like device reservations (items need no capabilities)', () => {
    const s = synthProject('services:\n  ml:\n    image: ml\n    gpus:\n      - driver: nvidia\n        count: 2\n');
    expect(s.container('ml').resources.limits).toEqual({ 'nvidia.com/gpu': '2' });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

test('a photo-management stack whose GPU variant comes through extends (hwaccel files)', () => {
  const dir = tempProject({
    'hwaccel.ml.yml':
      'services:\n  cuda:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 1\n              capabilities:\n                - gpu\n',
    'hwaccel.transcoding.yml':
      'services:\n  nvenc:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 1\n              capabilities:\n                - gpu\n                - compute\n                - video\n',
  });
  const s = synthProject(
    'name: photos\nservices:\n  server:\n    image: ghcr.io/immich-app/immich-server:release\n    extends:\n      file: hwaccel.transcoding.yml\n      service: nvenc\n    ports: ["2283:2283"]\n  machine-learning:\n    image: ghcr.io/immich-app/immich-machine-learning:release-cuda\n    extends:\n      file: hwaccel.ml.yml\n      service: cuda\n',
    { workingDir: dir },
  );
  expect(s.container('machine-learning').resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
  expect(s.container('server')).toMatchObject({
    resources: { limits: { 'nvidia.com/gpu': '1' } },
    env: [{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,video' }],
  });
  const row = s.chart
    .service('machine-learning')
    .explanations.find((r) => r.key === 'deploy.resources.reservations.devices');
  expect(row).toMatchObject({
    status: 'translated',
    fields: ['spec.template.spec.containers[0].resources.limits."nvidia.com/gpu"'],
  });
  expect(s.warnings()).toEqual([]);
  expect(accountProblems(s.chart)).toEqual([]);
});
