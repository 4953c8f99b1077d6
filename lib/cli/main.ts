/**
 * The compose-cdk8s command line. Each command's module is loaded only when that command runs,
 * so `--help` and `validate` never pay for cdk8s, and `convert` never pays for the validator.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { packageVersion } from '../package-root';
import { ExitCode, processIO, type CliIO } from './io';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a positive whole number of columns is expected');
  return Number(value);
}

/** The options that say which Compose project to read and which cluster to translate for. */
function addProjectOptions(command: Command): Command {
  return command
    .option(
      '-f, --file <file>',
      'Compose file (repeatable, merged in order; default: compose.yaml + override)',
      collect,
    )
    .option('--project-directory <dir>', "project directory (default: the first file's directory)")
    .option(
      '-p, --project-name <name>',
      'project name (default: COMPOSE_PROJECT_NAME, top-level name, or the directory name)',
    )
    .option('--env-file <file>', 'file of variables for interpolation (repeatable; default: .env)', collect)
    .option('--profile <profile>', 'enable a profile (repeatable; COMPOSE_PROFILES also works)', collect)
    .addOption(
      new Option('--target <target>', 'cluster the output is made for')
        .choices(['kind', 'minikube', 'generic'])
        .default('kind'),
    )
    .option('-n, --namespace <namespace>', 'put every object in this namespace and emit the Namespace')
    .addOption(
      new Option(
        '--host-mounts <mode>',
        'bind mounts of code, data and host paths: hostpath (mount them from the node; default on kind and minikube) or drop (default on generic)',
      ).choices(['hostpath', 'drop']),
    );
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('compose-cdk8s')
    .description('Turn a Docker Compose project into Kubernetes manifests that behave like the Compose stack.')
    .version(packageVersion(), '-v, --version')
    .option('--debug', 'print stack traces of internal errors')
    // One option of the program, so every command (and any added later) takes it, before or after its name.
    .option('--no-color', 'no colors (NO_COLOR is honored too, and colors are used only on a terminal)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError();
  const color = () => program.opts<{ color: boolean }>().color;

  addProjectOptions(program.command('convert'))
    .description('convert a Compose project to Kubernetes YAML (one directory per stack, ready for kubectl apply -k)')
    .option('-o, --output <dir>', 'output directory (default: dist/<project-name>, dist/<project-name>-chart for helm)')
    .option('--stdout', 'print the manifests instead of writing files')
    .addOption(
      new Option('--format <format>', 'manifest format, or helm for a Helm chart directory')
        .choices(['yaml', 'json', 'helm'])
        .default('yaml'),
    )
    .option('--split', 'one file per object, in <dir>/manifests/, instead of one manifests file')
    .addOption(
      new Option(
        '--secrets <mode>',
        "inline: Secrets written with the manifests; external: no secret value written anywhere (up.sh creates the Secrets from the project's files at deploy time); only: print just the Secrets (with --stdout)",
      )
        .choices(['inline', 'external', 'only'])
        .default('inline'),
    )
    .option('-q, --quiet', 'print errors only')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-cdk8s convert                         # ./compose.yaml -> dist/<project>/
  $ compose-cdk8s convert -f compose.yaml -f compose.prod.yaml -o k8s/prod
  $ compose-cdk8s convert --profile worker --namespace shop --target minikube
  $ compose-cdk8s convert --stdout | kubectl apply -f -
  $ compose-cdk8s convert --format helm -o chart && helm install shop ./chart
  $ compose-cdk8s convert --secrets external -o k8s   # manifests you can commit: up.sh creates the Secrets

Exit codes: 0 written, 2 invalid Compose input (nothing written), 1 internal error.`,
    )
    .action(async (opts) => {
      const { convert } = await import('./convert');
      setExit((await convert({ ...opts, color: color() }, io)).exitCode);
    });

  addProjectOptions(program.command('explain'))
    .description('show, per service, what each Compose key became in Kubernetes and what was dropped, and why')
    .addOption(
      new Option('--format <format>', 'report format, or a diagram of the stack (mermaid, dot, svg)')
        .choices(['text', 'markdown', 'json', 'mermaid', 'dot', 'svg'])
        .default('text'),
    )
    .option(
      '--width <columns>',
      "longest line of the text report (default: the terminal's width, 100 when not a terminal)",
      positiveInteger,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ compose-cdk8s explain -f compose.yaml
  $ compose-cdk8s explain -f compose.yaml -f compose.prod.yaml --format markdown > MIGRATION.md
  $ compose-cdk8s explain --width 120 | less        # text wrapped at 120 columns
  $ compose-cdk8s explain --format mermaid        # flowchart for Markdown (GitHub draws it)
  $ compose-cdk8s explain --format svg > stack.svg

Exit codes: 0 report printed, 2 invalid Compose input, 1 internal error.`,
    )
    .action(async (opts) => {
      const { explain } = await import('./explain');
      setExit(await explain({ ...opts, color: color() }, io));
    });

  program
    .command('validate')
    .description('validate Kubernetes manifests offline against the Kubernetes 1.27 schema and API-server rules')
    .argument('<paths...>', 'manifest files or directories (YAML or JSON); - reads standard input')
    .option('--no-references', 'do not check references between objects (ConfigMaps, Secrets, PVCs, Services...)')
    .option('-q, --quiet', 'print errors only, not warnings')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-cdk8s validate dist/shop
  $ compose-cdk8s validate deploy.yaml other/*.yaml
  $ helm template shop ./chart | compose-cdk8s validate -    # a Helm chart: validate what it renders

Prints one line per problem: file: Kind/name: path: message
Exit codes: 0 valid, 1 problems found, 2 unreadable input or a Helm chart (render it first).`,
    )
    .action(async (paths: string[], opts: { references: boolean; quiet?: boolean }) => {
      const { validateCommand } = await import('./validate');
      setExit(await validateCommand(paths, { ...opts, color: color() }, io));
    });

  return program;
}

export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors are bad input.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`internal error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(error.stack + '\n');
    else
      io.stderr(
        'This is a bug in compose-cdk8s: please report it with the Compose file (run with --debug for a stack trace).\n',
      );
    return ExitCode.internal;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
