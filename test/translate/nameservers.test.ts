/**
 * `dns` -> `dnsConfig.nameservers`, minus what exists only under Docker: its embedded DNS server
 * and the project's own network addresses, which pods never get.
 */
import { accountProblems } from '../support/account';
import { synthProject } from '../support/synth';

const project = (dns: string) => `services:
  resolver:
    image: coredns/coredns
    networks:
      back: { ipv4_address: 10.5.0.53 }
  app:
    image: x
    dns: ${dns}
    dns_search: [corp.example]
    networks: [back]
networks:
  back:
    ipam:
      config:
        - subnet: 172.28.0.0/16
        - subnet: fd00:28::/64
`;

/** The warnings about `dns` (the project's fixed addresses and IPAM are reported as well, at their own keys). */
const dnsWarnings = (s: ReturnType<typeof synthProject>) =>
  s.warnings().filter((w) => w.startsWith('services.app.dns'));

describe('dns', () => {
  test('servers outside the project stay the pod’s nameservers, next to the cluster DNS', () => {
    const s = synthProject(project('[1.1.1.1, "2606:4700:4700::1111"]'));
    expect(s.pod('app').dnsConfig).toEqual({
      nameservers: ['1.1.1.1', '2606:4700:4700::1111'],
      searches: ['corp.example'],
    });
    expect(s.pod('app').dnsPolicy).toBeUndefined();
    expect(dnsWarnings(s)).toEqual([]);
  });

  test("Docker's embedded server and the project's own addresses are dropped, each with why", () => {
    const s = synthProject(project('[127.0.0.11, 172.28.0.2, "fd00:28::53", 10.5.0.53, 9.9.9.9]'));
    expect(s.pod('app').dnsConfig).toEqual({ nameservers: ['9.9.9.9'], searches: ['corp.example'] });
    expect(dnsWarnings(s)).toEqual([
      "services.app.dns[0]: not translated: 127.0.0.11 is Docker's embedded DNS server, which no pod has; the cluster DNS resolves the project's service names instead",
      `services.app.dns[1]: not translated: 172.28.0.2 is on the project's network "back" (172.28.0.0/16): Compose's network addresses do not exist in the cluster, where the cluster DNS resolves the project's service names`,
      `services.app.dns[2]: not translated: fd00:28::53 is on the project's network "back" (fd00:28::/64): Compose's network addresses do not exist in the cluster, where the cluster DNS resolves the project's service names`,
      `services.app.dns[3]: not translated: 10.5.0.53 is the fixed address of service "resolver" on the project's network "back": Compose's network addresses do not exist in the cluster, where the cluster DNS resolves the project's service names`,
    ]);
    const row = s.chart.service('app').explanations.find((e) => e.key === 'dns');
    expect(row?.status).toBe('partial');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('when no server is left, no nameservers are written (and no dnsConfig without searches or options)', () => {
    const s = synthProject('services:\n  app:\n    image: x\n    dns: 127.0.0.11\n');
    expect(s.pod('app').dnsConfig).toBeUndefined();
    expect(s.chart.service('app').explanations.find((e) => e.key === 'dns')?.status).toBe('dropped');
    expect(accountProblems(s.chart)).toEqual([]);
    expect(synthProject(project('[127.0.0.11]')).pod('app').dnsConfig).toEqual({ searches: ['corp.example'] });
  });

  test('a pod takes at most three nameservers, and only addresses', () => {
    const s = synthProject(
      'services:\n  app:\n    image: x\n    dns: [1.1.1.1, dns.example, 8.8.8.8, 9.9.9.9, 1.0.0.1]\n',
    );
    expect(s.pod('app').dnsConfig).toEqual({ nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] });
    expect(s.warnings()).toEqual([
      'services.app.dns[1]: not translated: "dns.example" is not an IP address, which a nameserver must be',
      'services.app.dns[4]: not translated: a pod takes at most 3 nameservers',
    ]);
  });
});
