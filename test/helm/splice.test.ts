import { Splicer, tokenPrefix } from '../../lib/helm/splice';

test('a value token becomes a template expression; the rest is the YAML writer output', () => {
  const splicer = new Splicer(tokenPrefix(''));
  const object = {
    spec: { replicas: splicer.token({ kind: 'inline', expr: '.Values.replicas | int' }), paused: 'no' },
  };
  expect(splicer.render([object])).toBe('spec:\n  replicas: {{ .Values.replicas | int }}\n  paused: "no"\n');
});

test('a literal that looks like a token or a template stays literal', () => {
  const literal = 'echo __helm0__ {{ .Values.x }}';
  const splicer = new Splicer(tokenPrefix(JSON.stringify({ literal })));
  const object = { args: [literal], image: splicer.token({ kind: 'inline', expr: '"img"' }) };
  expect(splicer.render([object])).toBe('args:\n  - "echo __helm0__ {{ "{{" }} .Values.x }}"\nimage: {{ "img" }}\n');
});

test('an `if` key keeps its whole subtree, literal blocks with blank lines included, under the condition', () => {
  const splicer = new Splicer(tokenPrefix(''));
  const container: Record<string, unknown> = { name: 'web' };
  container[splicer.token({ kind: 'if', key: 'livenessProbe', cond: '.Values.probe' })] = {
    exec: { command: ['sh', '-c', 'a\n\nb\n'] },
  };
  container.tty = true;
  expect(splicer.render([{ containers: [container] }])).toBe(
    [
      'containers:',
      '  - name: web',
      '    {{- if .Values.probe }}',
      '    livenessProbe:',
      '      exec:',
      '        command:',
      '          - sh',
      '          - "-c"',
      '          - |',
      '              a',
      '',
      '              b',
      '    {{- end }}',
      '    tty: true',
      '',
    ].join('\n'),
  );
});

test('an optional block is left out when its value is empty', () => {
  const splicer = new Splicer(tokenPrefix(''));
  const object: Record<string, unknown> = { name: 'web' };
  object[splicer.token({ kind: 'block', key: 'resources', expr: '.Values.resources', optional: true })] = null;
  expect(splicer.render([object])).toBe(
    'name: web\n{{- with .Values.resources }}\nresources:\n  {{- toYaml . | nindent 2 }}\n{{- end }}\n',
  );
});
