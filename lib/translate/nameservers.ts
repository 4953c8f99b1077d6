/**
 * `dns` -> the pod's `dnsConfig.nameservers`, minus the servers that exist only under Docker:
 * its embedded DNS server (127.0.0.11), and addresses on the project's own networks (a network's
 * IPAM subnet, a service's fixed `ipv4_address`/`ipv6_address`), which pods do not get: a pod's
 * address comes from the cluster's network. The cluster DNS already resolves the project's
 * service names, which is what such a server answered under Compose.
 */
import { BlockList, isIP } from 'net';
import type { ComposeProject, ComposeService } from '../compose/model';
import { pathSegments } from '../compose/written-keys';
import { dropped, type Finding } from './findings';

/** Docker's embedded DNS server, in every container on a user-defined network. */
export const DOCKER_DNS = '127.0.0.11';

/** Kubernetes refuses a pod with more (validation of dnsConfig.nameservers). */
const MAX_NAMESERVERS = 3;

const family = (ip: string): 'ipv4' | 'ipv6' | undefined =>
  isIP(ip) === 4 ? 'ipv4' : isIP(ip) === 6 ? 'ipv6' : undefined;

/** Where an address is the project's own: the network (and subnet) or the service it belongs to. */
type Owner = (ip: string) => string | undefined;

function projectOwner(project: ComposeProject): Owner {
  const subnets: { list: BlockList; says: string }[] = [];
  for (const key of project.keys) {
    if (key.pattern !== 'networks.*.ipam.config[].subnet' || typeof key.value !== 'string') continue;
    const [base, bits] = key.value.split('/');
    const kind = family(base);
    const prefix = Number(bits);
    if (!kind || !Number.isInteger(prefix)) continue;
    const list = new BlockList();
    list.addSubnet(base, prefix, kind);
    subnets.push({ list, says: `on the project's network "${pathSegments(key.path)[1]}" (${key.value})` });
  }
  const fixed = new Map<string, string>();
  for (const s of Object.values(project.services)) {
    for (const [net, n] of Object.entries(s.networks)) {
      for (const ip of [n.ipv4Address, n.ipv6Address]) {
        if (ip) fixed.set(ip, `the fixed address of service "${s.name}" on the project's network "${net}"`);
      }
    }
  }
  return (ip) => {
    const kind = family(ip);
    if (!kind) return undefined;
    return fixed.get(ip) ?? subnets.find((s) => s.list.check(ip, kind))?.says;
  };
}

/** Why a `dns` entry cannot be a pod's nameserver, or undefined when it can. */
function unusable(ip: string, owner: Owner): string | undefined {
  if (ip === DOCKER_DNS) {
    return `${ip} is Docker's embedded DNS server, which no pod has; the cluster DNS resolves the project's service names instead`;
  }
  if (!family(ip)) return `"${ip}" is not an IP address, which a nameserver must be`;
  const mine = owner(ip);
  if (mine) {
    return `${ip} is ${mine}: Compose's network addresses do not exist in the cluster, where the cluster DNS resolves the project's service names`;
  }
  return undefined;
}

export function nameservers(
  project: ComposeProject,
  service: ComposeService,
): { servers: string[]; findings: Finding[] } {
  if (service.dns.length === 0) return { servers: [], findings: [] };
  const owner = projectOwner(project);
  const servers: string[] = [];
  const findings: Finding[] = [];
  service.dns.forEach((ip, i) => {
    const why = unusable(ip, owner);
    if (why) findings.push(dropped(`dns[${i}]`, why));
    else if (servers.length >= MAX_NAMESERVERS)
      findings.push(dropped(`dns[${i}]`, `a pod takes at most ${MAX_NAMESERVERS} nameservers`));
    else servers.push(ip);
  });
  return { servers, findings };
}
