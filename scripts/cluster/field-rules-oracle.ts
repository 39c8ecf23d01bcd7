import fc from 'fast-check';
import { resolveRequestLimit } from '../../lib/checks';
import { ApiOracle as Oracle, pool } from './api-oracle';
import { ControlPlane } from './control-plane';
import { container, pod, Rule } from './oracle-kit';
import { COVERAGE_RULES } from './oracle-rules-coverage';
import { NAME_RULES } from './oracle-rules-names';
import { VALUE_RULES } from './oracle-rules-values';
import { buildTools, controlPlaneTools, kubeVersionsFrom } from './tools';

/**
 * `npm run test:rules-oracle`: the API server as the oracle for the field rules of lib/checks.
 * Each rule's cases (hand-picked ones, then fast-check generated ones: seeded, bounded) become
 * one object each, server-side dry-run created with strict field validation. Invariants:
 * - every value a checker accepts, the server accepts without a warning (no wrong accepts);
 * - every value a checker rejects, the server rejects, unless the rule's `policy` names the
 *   library's deliberate reason (no wrong rejects).
 * A disagreement among generated values is shrunk by fast-check to a minimal case and printed.
 *
 * Env: ORACLE_VERSIONS (default: every version in versions.sh), ORACLE_SEED (default 16),
 * ORACLE_RUNS (generated cases per rule, default 60).
 */
const seed = Number(process.env.ORACLE_SEED ?? 16);
const numRuns = Number(process.env.ORACLE_RUNS ?? 60);
const log = (line: string) => process.stdout.write(`${line}\n`);

const RULES: Array<Rule<any>> = [...NAME_RULES, ...VALUE_RULES, ...COVERAGE_RULES];

/** One case where the checker and the server disagree. */
interface Disagreement {
  readonly rule: string;
  readonly value: unknown;
  readonly kind: 'wrong accept' | 'wrong reject';
  readonly server: string;
  readonly checker: string;
}

async function judge<T>(
  oracle: Oracle,
  rule: Rule<T>,
  value: T,
): Promise<{ disagreement?: Disagreement; policy?: string }> {
  const problem = rule.check(value);
  const { path: apiPath, body } = rule.object(value);
  const server = await oracle.verdict(apiPath, body);
  const checker = problem ? `${problem.allowed} / ${problem.hint}` : 'accepted';
  if (problem === undefined && !server.accepted)
    return { disagreement: { rule: rule.name, value, kind: 'wrong accept', server: server.message, checker } };
  if (problem !== undefined && server.accepted) {
    const policy = rule.policy?.(value);
    return policy !== undefined
      ? { policy }
      : { disagreement: { rule: rule.name, value, kind: 'wrong reject', server: server.message, checker } };
  }
  return {};
}

/** Every rule's hand and generated cases; returns the disagreements, with a shrunk case per failing rule. */
async function runRules(
  oracle: Oracle,
): Promise<{ cases: number; disagreements: Disagreement[]; policies: Map<string, number> }> {
  let cases = 0;
  const disagreements: Disagreement[] = [];
  const policies = new Map<string, number>();
  for (const [index, rule] of RULES.entries()) {
    const values = [...rule.hand, ...fc.sample(rule.generated, { seed: seed + index, numRuns })];
    const results = await pool(values, 8, (v) => judge(oracle, rule, v));
    cases += values.length;
    const found = results.flatMap((r) => (r.disagreement ? [r.disagreement] : []));
    results.forEach(
      (r) =>
        r.policy && policies.set(`${rule.name}: ${r.policy}`, (policies.get(`${rule.name}: ${r.policy}`) ?? 0) + 1),
    );
    log(
      `${found.length === 0 ? '✓' : '✗'} ${rule.name}: ${values.length} cases, ${found.length} disagreements  (${rule.source})`,
    );
    disagreements.push(...found);
    if (found.some((d) => !rule.hand.includes(d.value as never))) {
      const run = await fc.check(
        fc.asyncProperty(rule.generated, async (v) => (await judge(oracle, rule, v)).disagreement === undefined),
        { seed: seed + index, numRuns },
      );
      if (run.failed) log(`    shrunk to ${JSON.stringify(run.counterexample?.[0])} after ${run.numShrinks} shrinks`);
    }
  }
  return { cases, disagreements, policies };
}

/** A limit with no request: the server must default the request to the limit, as resolveRequestLimit does. */
async function checkRequestDefaulting(oracle: Oracle): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const limit of ['50m', '1e-1', '2']) {
    const resolved = resolveRequestLimit('resources.cpu', { limit }, { request: '100m', limit: '500m' }, '250m');
    const { path: apiPath, body } = pod({ containers: [container({ resources: { limits: { cpu: limit } } })] });
    const verdict = await oracle.verdict(apiPath, body);
    const serverRequest = verdict.body?.spec?.containers?.[0]?.resources?.requests?.cpu;
    if (!verdict.accepted || serverRequest === undefined || !sameQuantity(serverRequest, resolved.request!)) {
      found.push({
        rule: 'request defaults to the limit',
        value: limit,
        kind: 'wrong accept',
        server: `request ${serverRequest} (${verdict.message})`,
        checker: `request ${resolved.request}`,
      });
    }
  }
  log(
    `${found.length === 0 ? '✓' : '✗'} request defaults to the limit: 3 cases, ${found.length} disagreements  (pkg/apis/core/v1/defaults.go SetDefaults_Pod)`,
  );
  return found;
}

function sameQuantity(a: string, b: string): boolean {
  const value = (q: string) => Number(q.replace(/m$/, 'e-3'));
  return Math.abs(value(a) - value(b)) < 1e-9;
}

async function main(): Promise<number> {
  const versions = kubeVersionsFrom(process.env.ORACLE_VERSIONS);
  buildTools('etcd', 'kwok', ...versions);
  let failed = 0;
  for (const version of versions) {
    const cluster = new ControlPlane(controlPlaneTools(version));
    try {
      await cluster.start();
      const oracle = new Oracle(cluster.kubeconfig);
      const { cases, disagreements, policies } = await runRules(oracle);
      disagreements.push(...(await checkRequestDefaulting(oracle)));
      oracle.close();
      log(
        `\n${cluster.version}: ${cases + 3} cases (seed ${seed}, ${numRuns} generated per rule), ${disagreements.length} disagreements`,
      );
      for (const d of disagreements)
        log(`  ${d.kind}: ${d.rule}: ${JSON.stringify(d.value)}\n    server: ${d.server}\n    checker: ${d.checker}`);
      log('Rejected on purpose although the server accepts them:');
      for (const [policy, count] of policies) log(`  ${count}× ${policy}`);
      failed += disagreements.length;
    } finally {
      cluster.stop();
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
