import { parseAllDocuments } from 'yaml';
import { objectFileName, renderKustomization, renderManifests } from '../../lib/output/render';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } };
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } };

describe('renderManifests', () => {
  it('writes one multi-document YAML file per stack by default', () => {
    const files = renderManifests([deployment, service]);
    expect([...files.keys()]).toEqual(['manifests.yaml']);
    const docs = parseAllDocuments(files.get('manifests.yaml')!).map((d) => d.toJS());
    expect(docs).toEqual([deployment, service]);
  });

  it('writes one file per object with --split, named by kind and name, in a directory of their own', () => {
    const files = renderManifests([deployment, service], { split: true });
    expect([...files.keys()]).toEqual(['manifests/deployment-api.yaml', 'manifests/service-api.yaml']);
  });

  it('writes JSON as a v1 List when asked', () => {
    const files = renderManifests([deployment, service], { format: 'json' });
    expect(JSON.parse(files.get('manifests.json')!)).toEqual({
      apiVersion: 'v1',
      kind: 'List',
      items: [deployment, service],
    });
  });

  it('names split files with the namespace so equal names in two namespaces never clash', () => {
    expect(objectFileName({ ...service, metadata: { name: 'api', namespace: 'shop' } }, 'yaml')).toBe(
      'service-shop-api.yaml',
    );
  });
});

describe('renderKustomization', () => {
  it('lists the manifest files as resources', () => {
    expect(renderKustomization(['manifests.yaml'])).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n',
    );
  });
});
