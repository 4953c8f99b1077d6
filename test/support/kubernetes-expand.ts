/**
 * Kubernetes' expansion of command, args and env values (k8s.io/kubernetes third_party/forked
 * golang/expansion): `$$` becomes `$`, `$(NAME)` becomes the variable's value when it is
 * defined and stays as written otherwise; any other `$` is kept. Tests run emitted commands
 * through this to get exactly what the kubelet hands to the container.
 */
export function kubernetesExpand(input: string, env: Readonly<Record<string, string>> = {}): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += name in env ? env[name] : `$(${name})`;
      i = close;
    } else out += c;
  }
  return out;
}
