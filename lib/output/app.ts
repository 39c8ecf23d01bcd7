import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { isSystem } from '../contracts';
import { atPath, formatProblem, MsaConfigError } from '../errors';
import { problem } from '../messages';
import { toYaml } from '../yaml-writer';
import { StagedDirectory } from './atomic';
import { HelmChartOptions, helmChartProblems, stageHelmChart } from './helm';
import { stageSynthesis, synthesize, Synthesis } from './synthesis';

/** Where synthesis reports what is allowed but risky. */
export interface ISynthReporter {
  /** Called once per warning, already prefixed with its construct path (and environment). */
  warn(message: string): void;
}

/** Options of an `MsaApp`. */
export interface MsaAppProps extends AppProps {
  /**
   * Name of the environment this app describes (`dev`, `prod`). Its output goes to
   * `<outdir>/<environment>/` and its marker records the name, so `cdk8s-msa deploy --env <name>`
   * finds and checks it. @default - a single-environment app writing straight into `outdir`
   */
  readonly environment?: string;
  /** Treat warnings as errors: synth fails and writes nothing. @default false */
  readonly strict?: boolean;
  /** Receives each warning once. @default - each warning is printed to stderr (console.error) */
  readonly reporter?: ISynthReporter;
  /**
   * Also write the output as a Helm chart that `helm template` renders to the same objects, byte
   * for byte: `<charts>/<environment>/` (or `<charts>/` for a single-environment app).
   * @default - no chart
   */
  readonly helmChart?: HelmChartOptions;
}

/**
 * What validating an app found, for every jsii language: `MsaConfigError` is TypeScript only
 * (jsii has no error classes; other languages catch their runtime's error with the same message),
 * so `MsaApp#check()` hands over the same messages as data.
 */
export interface SynthCheck {
  /** Every problem, one message each, prefixed with its construct path; empty when synth would pass. */
  readonly problems: string[];
  /** The stable code of each problem, in the order of `problems` (`name.dns-label`; empty where a check of the app's own has none). */
  readonly codes: string[];
  /** The warnings (allowed but risky), in the same format. */
  readonly warnings: string[];
}

const consoleReporter: ISynthReporter = { warn: (message) => console.error(message) };

/**
 * The cdk8s `App` for cdk8s-msa systems, and the one synth path: `app.synth()` under `cdk8s synth`,
 * `npm run synth` or a plain `node main.js` validates the whole app (every problem at once, strict
 * mode honoured, one target per app), reports each warning once, and writes the same bytes as
 * `Manifests.write`: one `<system>.k8s.yaml` and `<system>.md` per system plus the
 * `cdk8s-msa.output.json` marker with a digest per file, all swapped in atomically.
 *
 * ```ts
 * const app = new MsaApp();
 * buildShop(app, Target.kind());
 * app.synth(); // dist/shop.k8s.yaml, dist/shop.md, dist/cdk8s-msa.output.json
 * ```
 */
export class MsaApp extends App {
  /** Environment name. @default - none (single environment) */
  public readonly environment?: string;
  /** Directory this app's output goes to: `outdir`, or `outdir/<environment>`. */
  public readonly outputDirectory: string;
  /** Whether warnings are errors. */
  public readonly strict: boolean;
  /** Directory the Helm chart goes to, with `helmChart`. */
  public readonly chartDirectory?: string;
  private readonly reporter: ISynthReporter;
  private readonly helmChart?: HelmChartOptions;

  constructor(props: MsaAppProps = {}) {
    super(props);
    this.environment = props.environment;
    this.outputDirectory = props.environment === undefined ? this.outdir : path.join(this.outdir, props.environment);
    this.strict = props.strict ?? false;
    this.reporter = props.reporter ?? consoleReporter;
    this.helmChart = props.helmChart;
    if (props.helmChart) {
      const charts = props.helmChart.outdir ?? path.join(path.dirname(path.resolve(this.outdir)), 'charts');
      this.chartDirectory = props.environment === undefined ? charts : path.join(charts, props.environment);
    }
  }

  /**
   * Validates the app and renders its systems without writing; throws `MsaConfigError` with every
   * problem. A chart outside every system is a problem: its objects would not be written.
   */
  public synthesizeManifests(): Synthesis {
    const stray = this.charts.filter((chart) => !chart.node.scopes.some((scope) => isSystem(scope)));
    if (stray.length > 0) {
      throw new MsaConfigError(
        stray.map((chart) =>
          atPath(chart, formatProblem(problem('app.chart-outside-system', 'chart', chart.constructor.name))),
        ),
      );
    }
    // The chart options' problems are reported with the tree's, all at once.
    const chart = (this.helmChart ? helmChartProblems(this.helmChart) : []).map((p) => ({
      message: `[app] ${formatProblem(p)}`,
      code: p.code,
    }));
    let synthesis: Synthesis;
    try {
      synthesis = synthesize(this, { strict: this.strict, environment: this.environment });
    } catch (e) {
      if (!(e instanceof MsaConfigError) || chart.length === 0) throw e;
      throw new MsaConfigError([...chart.map((c) => c.message), ...e.messages], e.warnings, [
        ...chart.map((c) => c.code),
        ...e.codes,
      ]);
    }
    if (chart.length > 0)
      throw new MsaConfigError(
        chart.map((c) => c.message),
        synthesis.warnings,
        chart.map((c) => c.code),
      );
    return synthesis;
  }

  /** The directories `synth()` writes, staged: the manifests, and the Helm chart with `helmChart`. @internal */
  public _stage(synthesis: Synthesis): StagedDirectory[] {
    const staged = [stageSynthesis(synthesis, this.outputDirectory)];
    try {
      if (this.helmChart && this.chartDirectory)
        staged.push(stageHelmChart(synthesis, this.chartDirectory, this.helmChart));
    } catch (e) {
      for (const dir of staged) dir.discard();
      throw e;
    }
    return staged;
  }

  /**
   * Validates the app as `synth()` does, without writing or throwing: the messages an
   * `MsaConfigError` carries, readable from every language (Python, Go, Java catch no
   * `MsaConfigError` type).
   */
  public check(): SynthCheck {
    try {
      return { problems: [], codes: [], warnings: this.synthesizeManifests().warnings };
    } catch (e) {
      if (!(e instanceof MsaConfigError)) throw e;
      return { problems: e.messages, codes: e.codes, warnings: e.warnings };
    }
  }

  /** Validates, reports each warning once, and writes `outputDirectory` atomically with its marker. */
  public synth(): void {
    const synthesis = this.synthesizeManifests();
    this.report(synthesis);
    StagedDirectory.commitAll(this._stage(synthesis));
  }

  /** Every system's objects as one multi-document YAML text, validated and in apply order like `synth()`. */
  public synthYaml(): string {
    return toYaml(this.synthesizeManifests().systems.flatMap((s) => s.objects));
  }

  /** Passes each warning of a synthesis to the reporter, prefixed with the environment. */
  public report(synthesis: Synthesis): void {
    const prefix = this.environment === undefined ? '' : `${this.environment}: `;
    for (const warning of synthesis.warnings) this.reporter.warn(`⚠ ${prefix}${warning}`);
  }
}

/** Options of `MsaEnvironments`. */
export interface MsaEnvironmentsProps {
  /** Folder holding one sub-folder per environment. @default - cdk8s's default: $CDK8S_OUTDIR, else `dist` */
  readonly outdir?: string;
  /** Treat warnings as errors in every environment. @default false */
  readonly strict?: boolean;
  /** Receives each warning once. @default - printed to stderr (console.error) */
  readonly reporter?: ISynthReporter;
  /** Also write each environment as a Helm chart, to `<charts>/<environment>/`. @default - no charts */
  readonly helmChart?: HelmChartOptions;
}

/**
 * Several named environments of one app repo (dev on kind, staging and prod on EKS), each its own
 * `MsaApp` — its own construct tree, target and values — written to `<outdir>/<environment>/`.
 * `synth()` validates every environment before it writes any, then swaps them all in together:
 * a problem in prod leaves dev and staging as they were.
 *
 * ```ts
 * const environments = new MsaEnvironments();
 * for (const [name, values] of Object.entries(VALUES)) buildShop(environments.add(name), values);
 * environments.synth(); // dist/dev/, dist/staging/, dist/prod/
 * ```
 */
export class MsaEnvironments {
  private readonly apps: MsaApp[] = [];

  constructor(private readonly props: MsaEnvironmentsProps = {}) {}

  /** Adds environment `name` and returns its app, to build the environment's systems in. */
  public add(name: string): MsaApp {
    if (this.apps.some((a) => a.environment === name)) {
      throw new MsaConfigError([
        `[environments] ${formatProblem(problem('app.environment-taken', 'environment', name))}`,
      ]);
    }
    const app = new MsaApp({
      outdir: this.props.outdir,
      environment: name,
      strict: this.props.strict,
      reporter: this.props.reporter,
      helmChart: this.props.helmChart,
    });
    this.apps.push(app);
    return app;
  }

  /** The environments' apps, in the order they were added. */
  public get environments(): MsaApp[] {
    return [...this.apps];
  }

  /**
   * Validates every environment (all problems of all environments in one `MsaConfigError`, each
   * prefixed with its environment), reports warnings once, then writes all of them or none.
   */
  public synth(): void {
    const problems: Array<[string, string[]]> = [];
    const warnings: Array<[string, string[]]> = [];
    const syntheses: Array<[MsaApp, Synthesis]> = [];
    const codes = new Map<string, string>();
    for (const app of this.apps) {
      try {
        const synthesis = app.synthesizeManifests();
        syntheses.push([app, synthesis]);
        warnings.push([app.environment!, synthesis.warnings]);
      } catch (e) {
        if (!(e instanceof MsaConfigError)) throw e;
        problems.push([app.environment!, e.messages]);
        warnings.push([app.environment!, e.warnings]);
        e.messages.forEach((message, i) => codes.set(message, e.codes[i]));
      }
    }
    const located = (found: Array<[string, string[]]>) =>
      byEnvironment(found, this.apps.length).map(([where, message]) => ({
        message,
        text: `${where === ALL ? where : `environment${where.includes(',') ? 's' : ''} ${where}`}: ${message}`,
      }));
    if (problems.length > 0) {
      const found = located(problems);
      throw new MsaConfigError(
        found.map((p) => p.text),
        located(warnings).map((w) => w.text),
        found.map((p) => codes.get(p.message) ?? ''),
      );
    }
    const reporter = this.props.reporter ?? consoleReporter;
    for (const warning of located(warnings)) reporter.warn(`⚠ ${warning.text}`);
    const staged: StagedDirectory[] = [];
    try {
      for (const [app, synthesis] of syntheses) staged.push(...app._stage(synthesis));
    } catch (e) {
      for (const dir of staged) dir.discard();
      throw e;
    }
    StagedDirectory.commitAll(staged);
  }
}

const ALL = 'every environment';

/**
 * Each message once, in first-seen order, with the environments it occurs in (`dev, staging`, or
 * `every environment` when all of several do): a mistake in code they share is one problem.
 */
function byEnvironment(found: Array<[string, string[]]>, total: number): Array<[string, string]> {
  const where = new Map<string, string[]>();
  for (const [environment, messages] of found) {
    for (const message of new Set(messages)) where.set(message, [...(where.get(message) ?? []), environment]);
  }
  return [...where].map(([message, environments]) => [
    total > 1 && environments.length === total ? ALL : environments.join(', '),
    message,
  ]);
}
