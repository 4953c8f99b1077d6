/**
 * PlainApiObject skips cdk8s's resolver pass for JSON props: it must synthesize exactly what an
 * ApiObject with the same props does, and take cdk8s's own path for patches, custom resolvers and
 * values that are not plain JSON.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext } from 'cdk8s';
import { PlainApiObject } from '../../lib/chart/kube-object';

const props = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { b: '2', a: '1' }, annotations: { z: 'last' } },
  status: { dropped: undefined, kept: 'x' },
  spec: {
    replicas: 1,
    paused: false,
    template: {
      spec: {
        containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '' }], args: ['x', null, 'y'] }],
        volumes: [],
        dnsConfig: null,
      },
    },
  },
});

function both(app = new App(), build?: (o: ApiObject) => void) {
  const chart = new Chart(app, 'c', { labels: { stack: 's' } });
  const plain = new PlainApiObject(chart, 'plain', props());
  const reference = new ApiObject(chart, 'reference', props());
  build?.(plain);
  build?.(reference);
  return { plain: plain.toJson(), reference: reference.toJson() };
}

describe('PlainApiObject', () => {
  it('gives the JSON of an ApiObject with the same props: keys sorted, nulls dropped, apiVersion/kind/metadata first', () => {
    const { plain, reference } = both();
    expect(plain).toEqual(reference);
    expect(JSON.stringify(plain)).toBe(JSON.stringify(reference));
    expect(Object.keys(plain as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect((plain as { status: object }).status).toEqual({ kept: 'x' });
  });

  it('applies JSON patches as an ApiObject does', () => {
    const { plain, reference } = both(new App(), (o) => o.addJsonPatch(JsonPatch.replace('/spec/replicas', 3)));
    expect((plain as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(plain).toEqual(reference);
  });

  it('lets a custom resolver of the app see every value', () => {
    const upper: IResolver = {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value === 'nginx') context.replaceValue('NGINX');
      },
    };
    const { plain, reference } = both(new App({ resolvers: [upper] }));
    expect(JSON.stringify(plain)).toContain('"NGINX"');
    expect(plain).toEqual(reference);
  });

  it('resolves values that are not plain JSON through cdk8s (a Lazy)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const o = new PlainApiObject(chart, 'lazy', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { when: Lazy.any({ produce: () => 'later' }) },
    });
    expect((o.toJson() as { data: { when: string } }).data.when).toBe('later');
  });
});
