/**
 * The normalized Compose project: the single model every translation rule reads.
 *
 * The loader (parse -> interpolate -> merge -> normalize -> validate) produces it; nothing
 * downstream looks at raw YAML. Every value is in one canonical form: durations in
 * milliseconds, sizes in bytes, CPU in cores, short syntaxes expanded to long ones, port ranges
 * expanded, relative host paths made absolute, and the files a project refers to (env files,
 * secret and config files, small bind-mounted files) already read, so translation is pure.
 */
import type { Diagnostic, SourceLocation } from './diagnostics';
import type {
  ConfigDefinition,
  ModelDefinition,
  NetworkDefinition,
  SecretDefinition,
  VolumeDefinition,
} from './model-resources';
import type { ServiceK8s } from './normalize/x-k8s';

export type {
  ConfigDefinition,
  ModelDefinition,
  NetworkDefinition,
  SecretDefinition,
  VolumeDefinition,
} from './model-resources';
import type { WrittenKey } from './written-keys';
import type { InactiveService } from './profiles';

export type { InactiveService } from './profiles';
export type { WrittenKey } from './written-keys';

export interface ComposeProject {
  /** Top-level `name`, `--project-name`, COMPOSE_PROJECT_NAME, or the directory name, normalized as Compose does. */
  readonly name: string;
  /** Absolute project directory; relative paths in the files resolve against it. */
  readonly workingDir: string;
  /** Absolute paths of the Compose files, in merge order. */
  readonly composeFiles: readonly string[];
  /**
   * Absolute paths of the files read through `include` (nested ones too), in the order they were
   * read. Their resources are in `services`, `volumes`... like the project's own, and diagnostics
   * about them name these files.
   */
  readonly includedFiles: readonly string[];
  /** Enabled services only (profiles applied), keyed by Compose service name. */
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, VolumeDefinition>>;
  /** Includes `default` when any service is attached to it (explicitly or implicitly). */
  readonly networks: Readonly<Record<string, NetworkDefinition>>;
  readonly secrets: Readonly<Record<string, SecretDefinition>>;
  readonly configs: Readonly<Record<string, ConfigDefinition>>;
  /** Top-level `models`: AI models the services name in their own `models`. */
  readonly models: Readonly<Record<string, ModelDefinition>>;
  /** Top-level `x-*` fields, with the `x-` prefix kept. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Profiles that were enabled when loading. */
  readonly profiles: readonly string[];
  /** Warnings found while loading (errors stop the load instead). */
  readonly warnings: readonly Diagnostic[];
  /** Every top-level key path the files set, `services` aside (`networks.back.internal`, `name`). */
  readonly keys: readonly WrittenKey[];
  /** Services left out because none of their profiles is enabled. */
  readonly inactive: readonly InactiveService[];
}

export interface ComposeService {
  readonly name: string;
  /** Where `services.<name>` is declared (first file that declares it). */
  readonly location?: SourceLocation;
  /** Location of each top-level key of the service as written, e.g. `ports`, `healthcheck`. */
  readonly keyLocations: Readonly<Record<string, SourceLocation>>;
  /**
   * Where the values of `environment`, `command`, `entrypoint`, `healthcheck.test` and the hooks'
   * `command` and `environment` are written, by path: `environment.DB_URL`, `command` (a string),
   * `command[2]` (an item), `post_start[0].environment.X`. For diagnostics about part of a value.
   */
  readonly valueLocations: Readonly<Record<string, SourceLocation>>;
  /**
   * Every key path the service sets, nested ones included (`deploy.placement.constraints`,
   * `volumes[1].bind.propagation`), in file order: what the account of the translation covers.
   */
  readonly keys: readonly WrittenKey[];

  /** Undefined for a `provider` service, which needs neither an image nor a build. */
  readonly image?: string;
  readonly build?: BuildConfig;
  /**
   * `provider`: the service is not a container; Compose delegates its setup and teardown to an
   * external component (`type`, e.g. `model` for Docker Model Runner).
   */
  readonly provider?: ServiceProvider;
  /** `models`, keyed by the top-level model each entry names, with the variables Compose sets for it. */
  readonly models: Readonly<Record<string, ServiceModel>>;
  readonly pullPolicy?: 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly';
  readonly platform?: string;

  /** `entrypoint`, split like a shell does when written as a string. `[]` means "reset the image's entrypoint". */
  readonly entrypoint?: readonly string[];
  /** `command`, split like a shell does when written as a string. */
  readonly command?: readonly string[];
  readonly workingDir?: string;
  /** `user` as written: `uid`, `uid:gid`, `name` or `name:group`. */
  readonly user?: string;

  /** `environment` after interpolation; a key listed without a value takes it from the loader's environment, and is left out if unset there. */
  readonly environment: Readonly<Record<string, string>>;
  /** `env_file` entries in order, already read and interpolated. Values in `environment` win over these. */
  readonly envFiles: readonly EnvFile[];
  /** `labels`, over the labels read from `label_file` (inside the project only). */
  readonly labels: Readonly<Record<string, string>>;
  /** Where each label is written (mapping key or list item, or the line of its label file), for diagnostics about one label. */
  readonly labelLocations: Readonly<Record<string, SourceLocation>>;
  readonly annotations: Readonly<Record<string, string>>;

  /** `ports`, long form, ranges expanded to one entry per port. */
  readonly ports: readonly PortMapping[];
  /** `expose`, ranges expanded. */
  readonly expose: readonly ExposedPort[];

  /** `volumes` and `tmpfs`, long form. */
  readonly volumes: readonly ServiceVolume[];
  readonly secrets: readonly FileReference[];
  readonly configs: readonly FileReference[];

  /** Undefined when absent or disabled (`disable: true`, `test: ["NONE"]`). */
  readonly healthcheck?: Healthcheck;
  /** True when the file explicitly disabled the image's healthcheck. */
  readonly healthcheckDisabled: boolean;
  /** Keyed by dependency service name; short syntax normalizes to `service_started`, required. */
  readonly dependsOn: Readonly<Record<string, DependsOn>>;

  /** Networks the service is attached to; `{ default: {...} }` when none is listed and there is no network_mode. */
  readonly networks: Readonly<Record<string, ServiceNetwork>>;
  readonly networkMode?: NetworkMode;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly extraHosts: readonly ExtraHost[];
  readonly dns: readonly string[];
  readonly dnsSearch: readonly string[];
  readonly dnsOpt: readonly string[];

  readonly restart?: RestartPolicy;
  /** `gpus`: `all`, or the device requests (Docker's `--gpus`). */
  readonly gpus?: 'all' | readonly DeviceRequest[];
  /** `deploy`, with legacy `scale`, `cpus`, `mem_limit`, `mem_reservation` and `pids_limit` folded in. */
  readonly deploy: Deploy;

  readonly readOnly: boolean;
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly init?: boolean;
  readonly tty: boolean;
  readonly stdinOpen: boolean;
  readonly shmSizeBytes?: number;
  readonly stopGracePeriodMs?: number;
  readonly stopSignal?: string;
  readonly containerName?: string;
  readonly sysctls: Readonly<Record<string, string>>;
  /** `group_add` as written: group IDs or names. */
  readonly groupAdd: readonly string[];
  /** `post_start`, `pre_stop` and `pre_start` hooks, in declared order. */
  readonly postStart: readonly ServiceHook[];
  readonly preStop: readonly ServiceHook[];
  readonly preStart: readonly ServiceHook[];

  /** Service-level `x-*` fields (for example `x-k8s`), prefix kept, as written. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** `x-k8s`, validated and typed (normalize/x-k8s.ts): what translation reads. */
  readonly k8s: ServiceK8s;
  /**
   * Keys that are valid Compose but that the model does not normalize (logging, devices, ulimits,
   * security_opt, pid, ipc, ...), with their values: translation reports each one as not translated.
   */
  readonly unmodeled: Readonly<Record<string, unknown>>;
}

export interface ServiceProvider {
  readonly type: string;
  /** `options`: numbers and booleans as text; a list stays a list. */
  readonly options: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * What a service gets for one model it uses: Compose sets `endpointVar` to the model runner's URL
 * and `modelVar` to the model's name in the container's environment.
 */
export interface ServiceModel {
  /** `endpoint_var`, else `<KEY>_URL`: the model key upper-cased, `-` turned into `_` (`llm` -> `LLM_URL`). */
  readonly endpointVar: string;
  /** `model_var`, else `<KEY>_MODEL` (`llm` -> `LLM_MODEL`). */
  readonly modelVar: string;
}

/**
 * A `post_start`, `pre_stop` or `pre_start` entry, as compose-go's ServiceHook: `post_start` and
 * `pre_stop` are run with exec in the service's container, `pre_start` in a container of its own.
 */
export interface ServiceHook {
  /** As argv: a list as written, a string split into words as `command` is (no shell); undefined when not given. */
  readonly command?: readonly string[];
  /** `pre_start` only: the image of its container (the service's when not given). */
  readonly image?: string;
  readonly user?: string;
  readonly privileged: boolean;
  readonly workingDir?: string;
  /** Its own variables, added to the service's or overriding them; a name alone reads the loader's environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** `pre_start` only: once per replica (true) or once for the whole service (false, the default). */
  readonly perReplica: boolean;
}

/** A path of the build context that the Dockerfile copies into the image. */
export interface ImageCopy {
  /** The copied path, relative to the project (`src`; `''` for the project itself). */
  readonly from: string;
  /** Where the image holds its content (a directory's content, as COPY puts it). */
  readonly to: string;
  /** The instruction: `api/Dockerfile:12`. */
  readonly at: string;
}

export interface BuildConfig {
  /** Absolute path, or a URL for remote contexts. */
  readonly context: string;
  /**
   * What the Dockerfile copies from the context, when the Dockerfile and the context lie in the
   * project (nothing outside it is read); left out when there is nothing to tell.
   */
  readonly copies?: readonly ImageCopy[];
  /** Relative to the context, as Compose passes it to the builder. */
  readonly dockerfile?: string;
  readonly dockerfileInline?: string;
  readonly target?: string;
  /** A key without a value (`[VERSION]`, `VERSION:`) takes it from the loader's environment, and is left out if unset there. */
  readonly args: Readonly<Record<string, string>>;
  readonly platforms: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** `network` as written: `host`, `none`, `default` (BuildKit knows no other). */
  readonly network?: string;
  readonly shmSizeBytes?: number;
  readonly extraHosts: readonly ExtraHost[];
  readonly noCache: boolean;
  /** Stages built without the cache. */
  readonly noCacheFilter: readonly string[];
  readonly pull: boolean;
  /** As written (`user/app:cache`, `type=local,src=...`): the builder reads them. */
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  readonly secrets: readonly BuildSecretRef[];
  readonly ssh: readonly BuildSsh[];
  /** `additional_contexts`, by name. */
  readonly additionalContexts: Readonly<Record<string, BuildContextRef>>;
  /** Extra image names besides the service's own. */
  readonly tags: readonly string[];
  /** Name -> limits (`nofile: 1024` has soft = hard). */
  readonly ulimits: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>;
  readonly privileged: boolean;
  readonly entitlements: readonly string[];
  readonly isolation?: string;
  /** `provenance` and `sbom` as written: `true`, `false`, or attestation options (`mode=max`). */
  readonly provenance?: string;
  readonly sbom?: string;
}

/** A `build.secrets` entry: top-level secret `source`, exposed to the build as `id` (its `target`, else its name). */
export interface BuildSecretRef {
  readonly source: string;
  readonly id: string;
}

/** A `build.ssh` entry: `default` (the agent), or an id with agent sockets or key files. */
export interface BuildSsh {
  readonly id: string;
  readonly paths: readonly HostSide[];
}

/** Where an additional build context comes from. */
export type BuildContextRef =
  /** A directory on this machine. */
  | { readonly kind: 'path'; readonly side: HostSide }
  /** `service:<name>`: the image of another service of the project. */
  | { readonly kind: 'service'; readonly service: string }
  /** A URL, git reference or `docker-image://`...: the builder fetches it. */
  | { readonly kind: 'url'; readonly url: string };

export interface EnvFile {
  /** Absolute path. */
  readonly path: string;
  /** False for `required: false` entries; a missing optional file has empty `values`. */
  readonly required: boolean;
  /** `format: raw`: values were taken as written (no quotes, comments or `${VAR}`); absent for the default format. */
  readonly format?: 'raw';
  readonly values: Readonly<Record<string, string>>;
  /** The line each key of `values` is set on (the last time, when set twice). */
  readonly lines?: Readonly<Record<string, number>>;
  /**
   * The file as shown to people (`~/app.env`, `../common.env`) when it is outside the project:
   * it is not read (its values must not end up in manifests) and `values` is empty.
   */
  readonly outside?: string;
}

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface PortMapping {
  /** Container port. */
  readonly target: number;
  /** Host port; undefined when Compose would pick a random one (`"3000"` short syntax). */
  readonly published?: number;
  /** Host IP the port is bound on (`127.0.0.1:8000:8000`). */
  readonly hostIp?: string;
  readonly protocol: Protocol;
  readonly mode: 'ingress' | 'host';
  readonly name?: string;
  readonly appProtocol?: string;
  readonly location?: SourceLocation;
  /** The entry as written in the service (`ports[2]`): a range gives several mappings of one entry. */
  readonly key?: string;
}

export interface ExposedPort {
  readonly port: number;
  readonly protocol: Protocol;
}

export type ServiceVolume = NamedOrAnonymousVolume | BindMount | TmpfsMount | OtherMount;

interface MountBase {
  /** Absolute path inside the container. */
  readonly target: string;
  readonly readOnly: boolean;
  readonly location?: SourceLocation;
  /**
   * Short-syntax options other than `ro`, `rw` and `nocopy`, as written (`z`, `rshared`,
   * `cached`): SELinux relabelling and propagation, as the long syntax's `bind.selinux` and
   * `bind.propagation`; anything else Compose ignores.
   */
  readonly options?: readonly string[];
}

export interface NamedOrAnonymousVolume extends MountBase {
  readonly type: 'volume';
  /** Top-level volume name; undefined for an anonymous volume. */
  readonly source?: string;
  readonly subpath?: string;
  readonly nocopy: boolean;
}

export interface BindMount extends MountBase {
  readonly type: 'bind';
  /** Absolute host path (relative sources resolved against the project directory, `~` expanded). */
  readonly source: string;
  /**
   * Where `source` is, in terms that do not depend on the machine: translation and the generated
   * files use this, never `source`, so the output is the same wherever the project is checked out.
   */
  readonly hostSide: HostSide;
  /** What is on the host at `source` when the project was loaded; never read outside the project. */
  readonly host: HostPath;
  readonly createHostPath: boolean;
}

/**
 * A bind mount's host path relative to what it is anchored to:
 * - `project`: inside the project directory (`path` relative to it, `''` for the directory itself);
 * - `outside`: relative to the project directory but leaving it (`../shared`), or inside it through
 *   a symlink that points out (`path` is the link, relative to the project);
 * - `home`: under the user's home directory (`~/.aws`, `${HOME}/.aws`): `path` relative to it;
 * - `absolute`: any other absolute path, as written (`/var/run/docker.sock`).
 */
export type HostSide =
  | { readonly kind: 'project'; readonly path: string }
  | { readonly kind: 'outside'; readonly path: string }
  | { readonly kind: 'home'; readonly path: string }
  | { readonly kind: 'absolute'; readonly path: string };

export interface TmpfsMount extends MountBase {
  readonly type: 'tmpfs';
  readonly sizeBytes?: number;
  readonly mode?: number;
}

export interface OtherMount extends MountBase {
  readonly type: 'npipe' | 'cluster' | 'image';
  readonly source?: string;
}

/**
 * A bind mount's host side. Small files and directories are read so they can become ConfigMaps;
 * larger trees are only measured (they are source trees or data, not configuration).
 */
export type HostPath =
  /** Outside the project: never looked at, so the output cannot depend on the converting machine. */
  | { readonly kind: 'outside' }
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'file';
      readonly sizeBytes: number;
      readonly content?: Buffer;
      /** Permission bits (`0o755`): a mounted script keeps its executable bit. */
      readonly mode: number;
    }
  | {
      readonly kind: 'directory';
      readonly fileCount: number;
      readonly totalBytes: number;
      /** Relative path (with `/`) -> content; undefined when the directory exceeds the loader's read limits. */
      readonly files?: Readonly<Record<string, Buffer>>;
      /** Names of the directory's own entries (files and subdirectories), even when it is not read. */
      readonly entries?: readonly string[];
      /** Relative path -> permission bits, for the files in `files`. */
      readonly modes?: Readonly<Record<string, number>>;
      /** Entries not read because they are symlinks pointing out of the project. */
      readonly skippedLinks?: readonly string[];
    };

/** A service's `secrets:` or `configs:` entry, long form. */
export interface FileReference {
  readonly source: string;
  /** Absolute path in the container: `/run/secrets/<source>` for secrets, `/<source>` for configs, unless given. */
  readonly target: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

export type HealthTest =
  /** `["CMD", ...]` or `["CMD-EXEC", ...]`: run directly. */
  | { readonly kind: 'exec'; readonly argv: readonly string[] }
  /** `["CMD-SHELL", "..."]` or a plain string: run by `/bin/sh -c`. */
  | { readonly kind: 'shell'; readonly script: string };

export interface Healthcheck {
  /** Undefined when the file sets timings but no test (the image's HEALTHCHECK would be used). */
  readonly test?: HealthTest;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly startPeriodMs?: number;
  readonly startIntervalMs?: number;
  readonly location?: SourceLocation;
}

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOn {
  readonly condition: DependsOnCondition;
  readonly required: boolean;
  readonly restart: boolean;
  readonly location?: SourceLocation;
}

export interface ServiceNetwork {
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  readonly priority?: number;
}

export type NetworkMode =
  | { readonly kind: 'host' }
  | { readonly kind: 'none' }
  | { readonly kind: 'bridge' }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'container'; readonly container: string };

export interface ExtraHost {
  readonly hostname: string;
  readonly ip: string;
}

export type RestartPolicy =
  | { readonly kind: 'no' }
  | { readonly kind: 'always' }
  | { readonly kind: 'unless-stopped' }
  | { readonly kind: 'on-failure'; readonly maxRetries?: number };

export interface Deploy {
  /** `deploy.replicas`, else legacy `scale`; undefined means Compose's 1. */
  readonly replicas?: number;
  readonly mode?: 'replicated' | 'global' | 'replicated-job' | 'global-job';
  readonly resources: Resources;
  readonly restartPolicy?: {
    readonly condition?: 'none' | 'on-failure' | 'any';
    readonly maxAttempts?: number;
    readonly delayMs?: number;
  };
  readonly labels: Readonly<Record<string, string>>;
  /** `deploy.endpoint_mode` as written: `vip` (the default) or `dnsrr`. */
  readonly endpointMode?: string;
  readonly placement: Placement;
  readonly updateConfig?: UpdateConfig;
  /** `deploy.resources.reservations.devices`, in order. */
  readonly devices: readonly DeviceRequest[];
}

/** `deploy.placement`. */
export interface Placement {
  /** Swarm constraint expressions (`node.labels.zone == a`), each with where it is written. */
  readonly constraints: readonly { readonly expression: string; readonly location?: SourceLocation }[];
  /** `spread` of each preference, as written (undefined for an item without one). */
  readonly preferences: readonly (string | undefined)[];
  readonly maxReplicasPerNode?: number;
}

/** `deploy.update_config`: how Swarm replaces the tasks of a service on an update. */
export interface UpdateConfig {
  /** Tasks updated at a time; 0 means all at once. */
  readonly parallelism?: number;
  readonly order?: 'start-first' | 'stop-first';
  readonly delayMs?: number;
  readonly monitorMs?: number;
  readonly failureAction?: string;
  readonly maxFailureRatio?: number;
}

/** A device request (`gpus` item, `deploy.resources.reservations.devices` item). */
export interface DeviceRequest {
  readonly driver?: string;
  /** A number of devices, or `all` (written `all` or -1); undefined when not written. */
  readonly count?: number | 'all';
  readonly deviceIds: readonly string[];
  readonly capabilities: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

export interface ResourceValues {
  /** Cores, e.g. 0.5. */
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly pids?: number;
}

export interface Resources {
  /** `deploy.resources.limits`, else legacy `cpus`/`mem_limit`/`pids_limit`. */
  readonly limits: ResourceValues;
  /** `deploy.resources.reservations`, else legacy `mem_reservation`. */
  readonly reservations: ResourceValues;
}
