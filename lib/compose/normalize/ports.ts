/** `ports` and `expose`, short and long syntax, ranges expanded to one entry per port. */
import type { ExposedPort, PortMapping, Protocol } from '../model';
import { isRecord, optionalString, scalarText, type NormalizeContext } from './context';
import { childPath } from '../parse';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

interface Range {
  readonly start: number;
  readonly end: number;
}

function portRange(text: string): Range | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end > 65535 || end < start) return undefined;
  return { start, end };
}

interface ShortPort {
  readonly hostIp?: string;
  readonly host?: Range;
  readonly container: Range;
  readonly protocol: Protocol;
}

export function parseShortPort(spec: string): ShortPort | undefined {
  let text = spec.trim();
  let protocol: Protocol = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash >= 0) {
    const p = text.slice(slash + 1).toLowerCase();
    if (!PROTOCOLS.has(p)) return undefined;
    protocol = p as Protocol;
    text = text.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']:');
    if (close < 0) return undefined;
    hostIp = text.slice(1, close);
    text = text.slice(close + 2);
  }
  const parts = text.split(':');
  let hostPart: string | undefined;
  let containerPart: string;
  if (parts.length === 1) containerPart = parts[0];
  else if (parts.length === 2) [hostPart, containerPart] = parts;
  else if (parts.length === 3 && hostIp === undefined) [hostIp, hostPart, containerPart] = parts;
  else return undefined;
  // An empty address (`:8080:80`) is every interface, as Docker's nat.ParsePortSpec reads it.
  if (hostIp && !/^[0-9A-Fa-f.:]+$/.test(hostIp)) return undefined;
  const container = portRange(containerPart);
  if (!container) return undefined;
  const host = hostPart ? portRange(hostPart) : undefined;
  if (hostPart && !host) return undefined;
  return { hostIp: hostIp || undefined, host, container, protocol };
}

function expand(short: ShortPort, extra: Partial<PortMapping>, ctx: NormalizeContext, path: string): PortMapping[] {
  const count = short.container.end - short.container.start + 1;
  const out: PortMapping[] = [];
  const hostCount = short.host ? short.host.end - short.host.start + 1 : 0;
  if (short.host && hostCount !== count && count !== 1) {
    ctx.report(path, 'host and container port ranges have different lengths', 'invalid-port');
    return [];
  }
  for (let i = 0; i < count; i++) {
    const target = short.container.start + i;
    // A host range for one container port means "any free port of the range": the first is the stable choice.
    const published = short.host ? (count === 1 ? short.host.start : short.host.start + i) : undefined;
    out.push({ target, published, hostIp: short.hostIp, protocol: short.protocol, mode: 'ingress', ...extra });
  }
  return out;
}

export function normalizePorts(value: unknown, ctx: NormalizeContext, path: string): PortMapping[] {
  if (!Array.isArray(value)) return [];
  const out: PortMapping[] = [];
  value.forEach((item, i) => {
    const p = childPath(path, i);
    if (typeof item === 'number' || typeof item === 'string') {
      const short = parseShortPort(scalarText(item));
      if (!short) return ctx.report(p, `"${scalarText(item)}" is not a valid port`, 'invalid-port');
      out.push(...expand(short, { key: childPath('ports', i) }, ctx, p));
      return;
    }
    if (!isRecord(item)) return ctx.report(p, 'a port must be a string, a number or a mapping', 'invalid-port');
    const target = portRange(scalarText(item.target));
    if (!target)
      return ctx.report(childPath(p, 'target'), `"${scalarText(item.target)}" is not a valid port`, 'invalid-port');
    const publishedText = optionalString(item.published);
    const host = publishedText ? portRange(publishedText) : undefined;
    if (publishedText && !host) {
      return ctx.report(childPath(p, 'published'), `"${publishedText}" is not a valid port`, 'invalid-port');
    }
    const protocol = (optionalString(item.protocol) ?? 'tcp').toLowerCase();
    if (!PROTOCOLS.has(protocol)) {
      return ctx.report(childPath(p, 'protocol'), `"${protocol}" is not a protocol (tcp, udp, sctp)`, 'invalid-port');
    }
    out.push(
      ...expand(
        { container: target, host, hostIp: optionalString(item.host_ip), protocol: protocol as Protocol },
        {
          mode: item.mode === 'host' ? 'host' : 'ingress',
          name: optionalString(item.name),
          appProtocol: optionalString(item.app_protocol),
          key: childPath('ports', i),
        },
        ctx,
        p,
      ),
    );
  });
  return out;
}

export function normalizeExpose(value: unknown, ctx: NormalizeContext, path: string): ExposedPort[] {
  if (!Array.isArray(value)) return [];
  const out: ExposedPort[] = [];
  value.forEach((item, i) => {
    const text = scalarText(item);
    const m = /^([\d-]+)(?:\/(\w+))?$/.exec(text.trim());
    const range = m ? portRange(m[1]) : undefined;
    const protocol = (m?.[2] ?? 'tcp').toLowerCase();
    if (!range || !PROTOCOLS.has(protocol))
      return ctx.report(childPath(path, i), `"${text}" is not a valid port`, 'invalid-port');
    for (let port = range.start; port <= range.end; port++) out.push({ port, protocol: protocol as Protocol });
  });
  return out;
}
