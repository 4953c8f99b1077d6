/**
 * The renderings of one graph: Mermaid for NOTES.md and DOT for the SVG, snapshot-tested on two
 * seed stacks, and the escaping of every label so no text can break out of its string.
 */
import { dotText, renderDot } from '../../lib/diagram/dot';
import { mermaidText, renderMermaid } from '../../lib/diagram/mermaid';
import type { StackGraph } from '../../lib/diagram/model';
import { dotToSvg } from '../../lib/diagram/svg';
import { seedGraph } from './support';

describe.each(['story-12-1', 'dynoai-jetdrive'])('%s', (id) => {
  const graph = seedGraph(id);

  test('Mermaid flowchart', () => {
    expect(renderMermaid(graph)).toMatchSnapshot();
  });

  test('DOT', () => {
    expect(renderDot(graph)).toMatchSnapshot();
  });
});

/** A graph whose every label holds what each syntax would read as syntax. */
const NASTY = 'a "b" <c> & #35; `d` \\n |e| [f] end';
const nastyGraph: StackGraph = {
  name: 'x"y',
  services: [
    { id: 'svc_a', service: 'a', kubernetesName: 'a', workload: 'Deployment', image: NASTY, label: ['a', NASTY] },
    { id: 'svc_b', service: 'b', kubernetesName: 'b', workload: 'Deployment', image: 'b', label: ['b'] },
  ],
  entryPoints: [{ id: 'ing_x', kind: 'ingress', label: [NASTY] }],
  storage: [{ id: 'cm_x', kind: 'config-map', name: 'x', label: [NASTY, 'ConfigMap'] }],
  edges: [
    { kind: 'route', from: 'ing_x', to: 'svc_a', label: [NASTY] },
    { kind: 'depends-on', from: 'svc_a', to: 'svc_b', condition: 'healthy', required: true, label: [NASTY] },
    { kind: 'mount', from: 'svc_a', to: 'cm_x', label: [NASTY] },
  ],
  networks: [{ id: 'net_n', name: 'n', internal: true, external: false, label: NASTY, services: ['svc_a', 'svc_b'] }],
};

describe('escaping', () => {
  test('Mermaid: quotes, #, &, <, > and backticks become entity codes inside quoted labels', () => {
    expect(mermaidText(NASTY)).toBe('a #34;b#34; #60;c#62; #38; #35;35; #96;d#96; \\n |e| [f] end');
    const text = renderMermaid(nastyGraph);
    // Each label stays one quoted string: every line carrying it holds exactly its two quotes.
    const lines = text.split('\n').filter((l) => l.includes(mermaidText(NASTY)));
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line.split('"').length - 1).toBe(2);
    expect(text).toContain('style net_n stroke-dasharray: 5 5');
  });

  test('DOT: labels are XML-escaped HTML labels, and Graphviz draws the text exactly', async () => {
    expect(dotText('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    const svg = await dotToSvg(renderDot(nastyGraph));
    const expected = NASTY.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    // A service's image, the Ingress, the ConfigMap, three edges and the network: seven texts drawn as written.
    expect(svg.split(`>${expected}</text>`).length - 1).toBe(7);
  });
});
