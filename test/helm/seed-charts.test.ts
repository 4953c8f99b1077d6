/** The generated Helm chart of every seed stack, file by file, as a snapshot. */
import { SEED_CHARTS } from '../../charts';
import { seedChart } from './render';

test.each(SEED_CHARTS.map((s) => s.id))('%s: the chart files are as before', (id) => {
  const { files } = seedChart(id);
  // kind-cluster.yaml and load-images.sh are the stack directory's, snapshot-tested there.
  const chartFiles = [...files].filter(([name]) => name !== 'kind-cluster.yaml' && name !== 'load-images.sh');
  for (const [name, file] of chartFiles) expect(file.content).toMatchSnapshot(name);
});
