/** A project that sets every key of the Compose build definition, and its images as the scripts take them. */
import * as path from 'path';
import type { ComposeProject } from '../../lib/compose/model';
import { localImages } from '../../lib/targets/image-builds';
import type { LocalImage } from '../../lib/targets/plan';
import { projectFrom, tempProject } from './project';

/** Every key of the schema's `build` definition, with values that exercise each form. */
export const EVERY_KEY = `
services:
  base:
    build: ./base
  web:
    platform: linux/arm64
    build:
      context: ./web
      dockerfile: Dockerfile.dev
      target: runtime
      args: { NODE_ENV: production }
      labels: { org.example.team: "web team" }
      network: host
      shm_size: 256m
      extra_hosts: ["host.docker.internal:host-gateway", "db=10.0.0.5"]
      no_cache: true
      no_cache_filter: [deps]
      pull: true
      platforms: [linux/amd64, linux/arm64]
      cache_from: [example/web:cache, "type=local,src=.cache"]
      cache_to: ["type=inline"]
      secrets: [npm_token, { source: npmrc, target: npm_config }]
      ssh: [default, "deploy=~/.ssh/deploy_key"]
      additional_contexts: { base: "service:base", shared: ../shared, alpine: "docker-image://alpine:3.20" }
      tags: [registry.example/web:1.0]
      ulimits: { nofile: { soft: 1024, hard: 2048 } }
      privileged: true
      entitlements: [network.host]
      isolation: default
      provenance: mode=max
      sbom: true
secrets:
  npm_token: { environment: NPM_TOKEN }
  npmrc: { file: ./npmrc }
`;

/** The project (in a fresh directory) and its images, built from `<project>/dist/web`. */
export function everyKey(): { project: ComposeProject; images: LocalImage[]; dir: string } {
  const dir = tempProject({ npmrc: '//registry/:_authToken=x\n' });
  const project = projectFrom(EVERY_KEY, { workingDir: dir });
  const stack = path.join(dir, 'dist', 'web');
  return { project, images: localImages(project, stack, (s) => `proj-${s}`), dir };
}
