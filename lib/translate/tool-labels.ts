/**
 * Labels written for tools that watch the Docker API (Caddy, Watchtower...). They stay
 * pod annotations, as every label does, but nothing in the cluster acts on them: each tool reads
 * them from Docker, and in Kubernetes reads other objects, or is not needed. One finding per
 * tool, at its first label, says so and what does the job here.
 *
 * Diun is not among them: its Kubernetes provider reads the same `diun.*` keys as pod annotations.
 * Nor is Traefik: its labels become the service's Ingress (lib/expose/traefik-labels.ts).
 */
import type { ComposeService } from '../compose/model';
import { partial, type Finding } from './findings';

interface Tool {
  readonly name: string;
  /** How its labels are written, for the message. */
  readonly written: string;
  readonly matches: (label: string) => boolean;
  /** What reads them instead, or does the job, in a cluster. */
  readonly instead: string;
}

const ROUTE = 'route to the service with x-k8s.ingress instead (an Ingress; see "The x-k8s extension" in the README)';

const DOCKER_TOOLS: readonly Tool[] = [
  {
    name: 'Caddy',
    written: 'caddy*',
    matches: (l) => /^caddy(_\d+)?(\.|$)/.test(l),
    instead: `caddy-docker-proxy reads them from the Docker API, and a Caddy ingress controller reads Ingress objects: ${ROUTE}`,
  },
  {
    name: 'Watchtower',
    written: 'com.centurylinklabs.watchtower.*',
    matches: (l) => l.startsWith('com.centurylinklabs.watchtower.'),
    instead:
      "Watchtower updates Docker containers; in the cluster a new image comes from changing the workload's image (or a rollout restart with imagePullPolicy: Always)",
  },
  {
    name: 'Docker',
    written: 'com.docker.*',
    matches: (l) => l.startsWith('com.docker.'),
    instead: 'Docker itself (Compose, Desktop, its extensions) reads them',
  },
  {
    name: 'autoheal',
    written: 'autoheal*',
    matches: (l) => /^autoheal(\.|$)/.test(l),
    instead:
      'autoheal restarts unhealthy containers through the Docker API; Kubernetes restarts them itself, by the livenessProbe the healthcheck becomes',
  },
  {
    name: 'Ofelia',
    written: 'ofelia.*',
    matches: (l) => l.startsWith('ofelia.'),
    instead:
      'Ofelia runs these jobs through the Docker API; in the cluster a scheduled job is a CronJob (a service of its own with the kompose.cronjob.schedule label)',
  },
  {
    name: 'Homepage',
    written: 'homepage.*',
    matches: (l) => l.startsWith('homepage.'),
    instead:
      'Homepage reads them from the Docker API, and in Kubernetes reads gethomepage.dev/* annotations of Ingress objects',
  },
];

export function toolLabels(service: ComposeService): Finding[] {
  const labels = Object.keys(service.labels);
  return DOCKER_TOOLS.flatMap((tool) => {
    const mine = labels.filter(tool.matches);
    if (mine.length === 0) return [];
    const many = mine.length > 1;
    return [
      partial(
        `labels.${mine[0]}`,
        `${mine.length} ${tool.name} label${many ? 's' : ''} (${tool.written}) ${many ? 'are kept as pod annotations' : 'is kept as a pod annotation'}, but nothing in the cluster acts on ${many ? 'them' : 'it'}: ${tool.instead}`,
      ),
    ];
  });
}
