/**
 * The project's top-level resources in the normalized model (see model.ts): volumes, networks,
 * secrets, configs and AI models, each keyed by its name in the Compose file.
 */
import type { SourceLocation } from './diagnostics';
import type { HostSide } from './model';
import type { VolumeK8s } from './normalize/x-k8s';

export interface VolumeDefinition {
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;
  /** `x-k8s`, validated and typed: the claim's size, class and access modes. */
  readonly k8s: VolumeK8s;
  readonly location?: SourceLocation;
}

export interface NetworkDefinition {
  readonly name: string;
  readonly external: boolean;
  readonly internal: boolean;
  readonly driver?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly location?: SourceLocation;
}

export interface SecretDefinition {
  readonly name: string;
  readonly external: boolean;
  /** Absolute path of `file:`, when given. */
  readonly file?: string;
  /** Where `file` is (for the scripts that hand it to a build, from the stack directory). */
  readonly fileSide?: HostSide;
  /**
   * The `file:` as written (`~/.ssh/id_rsa`) when it lies outside the project: it is not read, and
   * the user creates the object (the output must not depend on the converting machine).
   */
  readonly outsideFile?: string;
  /** Name of the variable given by `environment:`, when given. */
  readonly environment?: string;
  /** The secret's bytes, read from `file` or taken from the environment; undefined for external secrets. */
  readonly content?: Buffer;
  readonly labels: Readonly<Record<string, string>>;
  readonly location?: SourceLocation;
}

export interface ConfigDefinition {
  readonly name: string;
  readonly external: boolean;
  readonly file?: string;
  /**
   * The `file:` as written (`~/.ssh/id_rsa`) when it lies outside the project: it is not read, and
   * the user creates the object (the output must not depend on the converting machine).
   */
  readonly outsideFile?: string;
  readonly environment?: string;
  /** The config's bytes, from `file`, `environment` or inline `content`. */
  readonly content?: Buffer;
  readonly labels: Readonly<Record<string, string>>;
  readonly location?: SourceLocation;
}

/** A top-level `models` entry: an AI model Compose runs through a model runner for the services that name it. */
export interface ModelDefinition {
  /** `name` when given; compose-go leaves it empty otherwise (not `<project>_<key>` as for volumes). */
  readonly name?: string;
  /** The OCI artifact of the model, e.g. `ai/smollm2`. */
  readonly model: string;
  /** `context_size`: the maximum token context. */
  readonly contextSize?: number;
  /** `runtime_flags`: raw flags for the inference engine, as written. */
  readonly runtimeFlags: readonly string[];
  /** `x-*` fields, prefix kept. */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly location?: SourceLocation;
}
