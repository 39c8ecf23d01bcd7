import * as fs from 'fs';
import * as path from 'path';
import { exceptionFor, parseExceptions } from '../scripts/lint/exceptions';
import { Finding, LINTERS, parseCheckov, parseKubeScore, parseTrivy } from '../scripts/lint/findings';
import { report } from '../scripts/lint/report';

const repo = path.resolve(__dirname, '..');

function finding(props: Partial<Finding> = {}): Finding {
  return {
    target: 'kind',
    linter: 'kube-score',
    check: 'deployment-replicas',
    object: 'shop/Deployment/postgres',
    message: 'one replica',
    ...props,
  };
}

const line = (...cells: string[]) => cells.join('\t');

describe('lint-exceptions.tsv', () => {
  test('the committed file parses, and every line gives its reason', () => {
    const exceptions = parseExceptions(fs.readFileSync(path.join(repo, 'lint-exceptions.tsv'), 'utf8'), LINTERS);
    expect(exceptions.length).toBeGreaterThan(0);
    for (const e of exceptions) expect(e.reason.length).toBeGreaterThan(20);
  });

  test('a line names linter, check, targets, objects and reason; * means all, commas list', () => {
    const [e] = parseExceptions(
      `# comment\n\n${line('kube-score', 'deployment-replicas', 'kind,k3s', '*', 'one node')}\n`,
      LINTERS,
    );
    expect(e).toEqual({
      line: 3,
      linter: 'kube-score',
      check: 'deployment-replicas',
      targets: ['kind', 'k3s'],
      objects: [],
      reason: 'one node',
    });
  });

  test('at most 3 exceptions per linter: 3 for each linter pass, a 4th for one fails naming it', () => {
    const three = (linter: string) => [1, 2, 3].map((i) => line(linter, `check-${i}`, '*', '*', 'does not apply'));
    expect(parseExceptions(LINTERS.flatMap(three).join('\n'), LINTERS)).toHaveLength(9);
    expect(() =>
      parseExceptions([...three('checkov'), line('checkov', 'check-4', '*', '*', 'x')].join('\n'), LINTERS),
    ).toThrow('checkov: 4 exceptions; at most 3 per linter are allowed');
  });

  test('malformed lines, unknown linters and repeats are each reported with their line', () => {
    const text = [
      line('kube-score', 'pod-probes', '*', 'no reason column'),
      line('kube-linter', 'x', '*', '*', 'not run here'),
      line('trivy', 'KSV-0011', '*', '*', ''),
      line('trivy', 'KSV-0012', '*', '*', 'first'),
      line('trivy', 'KSV-0012', '*', '*', 'again'),
    ].join('\n');
    expect(() => parseExceptions(text, LINTERS)).toThrow(
      [
        'lint-exceptions.tsv:',
        '  line 1: expected 5 tab-separated columns (linter, check, targets, objects, reason); got 4',
        '  line 2: unknown linter "kube-linter"; allowed: kube-score, trivy, checkov',
        '  line 3: empty reason',
        '  line 5: repeats line 4 (trivy KSV-0012)',
      ].join('\n'),
    );
  });

  test('an exception covers only its linter, check, targets and objects', () => {
    const exceptions = parseExceptions(
      line('kube-score', 'deployment-replicas', '*', 'shop/Deployment/postgres', 'RWO volume'),
      LINTERS,
    );
    expect(exceptionFor(finding(), exceptions)).toBe(exceptions[0]);
    expect(exceptionFor(finding({ target: 'eks' }), exceptions)).toBe(exceptions[0]);
    expect(exceptionFor(finding({ object: 'shop/Deployment/web' }), exceptions)).toBeUndefined();
    expect(exceptionFor(finding({ linter: 'trivy' }), exceptions)).toBeUndefined();
    expect(exceptionFor(finding({ check: 'pod-probes' }), exceptions)).toBeUndefined();
    const byTarget = parseExceptions(line('kube-score', 'deployment-replicas', 'kind', '*', 'one node'), LINTERS);
    expect(exceptionFor(finding(), byTarget)).toBe(byTarget[0]);
    expect(exceptionFor(finding({ target: 'eks' }), byTarget)).toBeUndefined();
  });
});

describe('the report', () => {
  const unavailable = [{ name: 'Polaris', reason: 'refused by the module proxy' }];

  test('counts unexplained / excepted per target and linter, and lists what is unavailable and why', () => {
    const exceptions = parseExceptions(
      line('kube-score', 'deployment-replicas', '*', 'shop/Deployment/postgres', 'RWO volume'),
      LINTERS,
    );
    const findings = [
      finding(),
      finding({ target: 'eks' }),
      finding({ object: 'shop/Deployment/web' }),
      finding({ linter: 'trivy', check: 'KSV-0011' }),
    ];
    const result = report(['eks', 'kind'], ['kube-score', 'trivy'], findings, exceptions, unavailable);
    expect(result.text.split('\n').slice(0, 4)).toEqual([
      '| target | kube-score (unexplained / excepted) | Trivy (unexplained / excepted) | Polaris |',
      '| --- | --- | --- | --- |',
      '| eks | 0 / 1 | 0 / 0 | unavailable |',
      '| kind | 1 / 1 | 1 / 0 | unavailable |',
    ]);
    expect(result.text).toContain('  Polaris: refused by the module proxy');
    expect(result.text).toContain(
      'kube-score deployment-replicas [every target; shop/Deployment/postgres] covers 2: RWO volume',
    );
    expect(result.unexplained).toEqual([findings[2], findings[3]]);
    expect(result.text).toContain('  ✗ kube-score deployment-replicas shop/Deployment/web: one replica [kind]');
    expect(result.unused).toEqual([]);
  });

  test('an exception that covers no finding is reported for removal', () => {
    const exceptions = parseExceptions(line('trivy', 'KSV-0011', '*', '*', 'stale'), LINTERS);
    const result = report(['kind'], LINTERS, [], exceptions, unavailable);
    expect(result.unused).toEqual(exceptions);
    expect(result.text).toContain('✗ line 1: trivy KSV-0011');
  });
});

describe("parsing the linters' JSON (captured from the real tools over test/fixtures/linters/dist)", () => {
  const fixtures = path.join(__dirname, 'fixtures/linters');
  const readManifest = (file: string) => fs.readFileSync(path.join(fixtures, 'dist', file), 'utf8');

  test('kube-score: every check graded below OK and not skipped, on its object', () => {
    const findings = parseKubeScore(fs.readFileSync(path.join(fixtures, 'kube-score.json'), 'utf8'), 'kind');
    expect(findings.map((f) => `${f.target} ${f.check} ${f.object}`)).toEqual([
      'kind container-image-pull-policy shop/Deployment/postgres',
      'kind pod-networkpolicy shop/Deployment/postgres',
      'kind container-image-pull-policy shop/Deployment/catalog',
      'kind pod-networkpolicy shop/Deployment/catalog',
      'kind deployment-has-poddisruptionbudget shop/Deployment/catalog',
    ]);
    expect(findings[0].message).toBe('postgres: ImagePullPolicy is not set to Always');
  });

  test('Trivy: every failed check, on the object whose lines it reports', () => {
    const findings = parseTrivy(fs.readFileSync(path.join(fixtures, 'trivy.json'), 'utf8'), readManifest);
    expect(findings.map((f) => `${f.target} ${f.check} ${f.object}`).sort()).toEqual([
      'kind KSV-0125 shop/Deployment/catalog',
      'openshift KSV-0020 shop/Deployment/catalog',
      'openshift KSV-0020 shop/Deployment/postgres',
      'openshift KSV-0021 shop/Deployment/catalog',
      'openshift KSV-0021 shop/Deployment/postgres',
      'openshift KSV-0125 shop/Deployment/catalog',
    ]);
    expect(findings.find((f) => f.check === 'KSV-0125')?.message).toBe(
      'Container catalog in deployment catalog (namespace: shop) uses an image from an untrusted registry.',
    );
  });

  test('Trivy: results for files other than <target>/*.k8s.yaml are ignored', () => {
    const json = JSON.stringify({
      Results: [{ Target: 'kind/cdk8s-msa.output.json', Misconfigurations: [{ ID: 'KSV-0001', Status: 'FAIL' }] }],
    });
    expect(parseTrivy(json, readManifest)).toEqual([]);
  });

  // Captured with `--output json --quiet` inside the fixtures' dist/; the code blocks are cut out.
  test('Checkov: every failed check, graph checks included, on the object whose lines it reports', () => {
    const findings = parseCheckov(fs.readFileSync(path.join(fixtures, 'checkov.json'), 'utf8'), readManifest);
    expect(findings.map((f) => `${f.target} ${f.check} ${f.object}`).sort()).toEqual([
      // The fixtures hold no NetworkPolicy; the synthesized output has one for every pod.
      'kind CKV2_K8S_6 shop/Deployment/catalog',
      'kind CKV2_K8S_6 shop/Deployment/postgres',
      'kind CKV_K8S_15 shop/Deployment/catalog',
      'kind CKV_K8S_15 shop/Deployment/postgres',
      'kind CKV_K8S_35 shop/Deployment/postgres',
      'kind CKV_K8S_43 shop/Deployment/catalog',
      'kind CKV_K8S_43 shop/Deployment/postgres',
      'openshift CKV2_K8S_6 shop/Deployment/catalog',
      'openshift CKV2_K8S_6 shop/Deployment/postgres',
      'openshift CKV_K8S_35 shop/Deployment/postgres',
      'openshift CKV_K8S_40 shop/Deployment/catalog',
      'openshift CKV_K8S_40 shop/Deployment/postgres',
      'openshift CKV_K8S_43 shop/Deployment/catalog',
      'openshift CKV_K8S_43 shop/Deployment/postgres',
    ]);
    expect(findings.find((f) => f.check === 'CKV_K8S_35')?.message).toBe(
      'Prefer using secrets as files over secrets as environment variables',
    );
  });

  test('Checkov: several frameworks (an array of reports), an empty report, and files that are no manifests', () => {
    const failed = (file: string) => ({
      check_id: 'CKV_K8S_1',
      check_name: 'x',
      file_path: file,
      file_line_range: [12, 147],
    });
    const json = JSON.stringify([
      {
        check_type: 'kubernetes',
        results: { failed_checks: [failed('/kind/shop.k8s.yaml'), failed('/kind/notes.yaml')] },
      },
      { passed: 0, failed: 0 },
    ]);
    expect(parseCheckov(json, readManifest).map((f) => `${f.target} ${f.object}`)).toEqual([
      'kind shop/Deployment/postgres',
    ]);
  });
});
