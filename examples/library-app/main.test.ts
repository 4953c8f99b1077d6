import { Testing } from 'cdk8s';
import { ComposeChart, loadProjectOrThrow } from 'compose-cdk8s';

test('the shop stack', () => {
  const app = Testing.app();
  const project = loadProjectOrThrow({ workingDir: __dirname });
  const chart = new ComposeChart(app, 'shop', { project });
  expect(Testing.synth(chart)).toMatchSnapshot();
});
