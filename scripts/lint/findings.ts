import * as yaml from 'js-yaml';

/** The linters lint:manifests runs, by the id lint-exceptions.tsv uses. */
export type LinterId = 'kube-score' | 'trivy' | 'checkov';

/** Every linter id, in table order. */
export const LINTERS: readonly LinterId[] = ['kube-score', 'trivy', 'checkov'];

/** One failed check on one object of one target's output. */
export interface Finding {
  /** The dist/ folder (target name) the manifest was written to. */
  readonly target: string;
  readonly linter: LinterId;
  /** The linter's own check id. */
  readonly check: string;
  /** `namespace/Kind/name` of the object the check failed on (`-` for a cluster-scoped object). */
  readonly object: string;
  readonly message: string;
}

/** `namespace/Kind/name`, the object key findings and exceptions share. */
export function objectKey(kind: string, name: string, namespace: string | undefined): string {
  return `${namespace || '-'}/${kind}/${name}`;
}

/**
 * kube-score's `--output-format json`: one entry per object, each with every check it ran. A
 * check with grade below 10 (OK) that was not skipped is a finding.
 */
export function parseKubeScore(json: string, target: string): Finding[] {
  return (JSON.parse(json) as any[]).flatMap((object) =>
    (object.checks as any[])
      .filter((c) => !c.skipped && c.grade < 10)
      .map((c) => ({
        target,
        linter: 'kube-score' as const,
        check: c.check.id as string,
        object: objectKey(object.type_meta.kind, object.object_meta.name, object.object_meta.namespace),
        message:
          (c.comments ?? []).map((m: any) => (m.path ? `${m.path}: ${m.summary}` : m.summary)).join('; ') ||
          (c.check.name as string),
      })),
  );
}

/** Where each document of a multi-document YAML file starts and ends, and which object it is. */
interface DocumentSpan {
  readonly first: number;
  readonly last: number;
  readonly object: string;
}

function documentSpans(manifest: string): DocumentSpan[] {
  const lines = manifest.split('\n');
  const spans: DocumentSpan[] = [];
  let start = 0;
  const close = (end: number) => {
    const doc = yaml.load(lines.slice(start, end).join('\n')) as any;
    if (doc?.kind)
      spans.push({
        first: start + 1,
        last: end,
        object: objectKey(doc.kind, doc.metadata?.name, doc.metadata?.namespace),
      });
  };
  lines.forEach((line, i) => {
    if (line === '---') {
      close(i);
      start = i + 1;
    }
  });
  close(lines.length);
  return spans;
}

/** `<target>/<name>.k8s.yaml` under dist/: the only files whose findings count. */
const MANIFEST = /^([^/]+)\/[^/]+\.k8s\.yaml$/;

/**
 * Maps a line of a manifest under dist/ to the object whose document holds it (`file:line` when
 * none does). Each file is read and split once.
 */
function objectLocator(readManifest: (file: string) => string): (file: string, line: number | undefined) => string {
  const spans = new Map<string, DocumentSpan[]>();
  return (file, line) => {
    if (!spans.has(file)) spans.set(file, documentSpans(readManifest(file)));
    const span = spans.get(file)!.find((s) => line !== undefined && s.first <= line && line <= s.last);
    return span?.object ?? `${file}:${line ?? '?'}`;
  };
}

/**
 * Trivy's `trivy config --format json` over dist/: one result per scanned file, failed checks
 * under `Misconfigurations`. A file may hold many documents; Trivy reports the line range of
 * the failing one, which `readManifest(resultTarget)` maps back to its object.
 * Results for files other than `<target>/<name>.k8s.yaml` are ignored.
 */
export function parseTrivy(json: string, readManifest: (file: string) => string): Finding[] {
  const results = ((JSON.parse(json) as any).Results ?? []) as any[];
  const locate = objectLocator(readManifest);
  return results.flatMap((result) => {
    const match = MANIFEST.exec(result.Target);
    if (!match) return [];
    return ((result.Misconfigurations ?? []) as any[])
      .filter((m) => m.Status === 'FAIL')
      .map((m) => ({
        target: match[1],
        linter: 'trivy' as const,
        check: m.ID as string,
        object: locate(result.Target, m.CauseMetadata?.StartLine),
        message: m.Message as string,
      }));
  });
}

/**
 * Checkov's `--output json --quiet` run inside dist/: one report per framework (an object for
 * one, an array for several), failed checks under `results.failed_checks`, each with its file as
 * `/<target>/<name>` and the line range of its document, mapped back to the object as for Trivy
 * (Checkov's own resource ids default the namespace of cluster-scoped objects to `default`).
 */
export function parseCheckov(json: string, readManifest: (file: string) => string): Finding[] {
  const parsed = JSON.parse(json);
  const locate = objectLocator(readManifest);
  return ((Array.isArray(parsed) ? parsed : [parsed]) as any[]).flatMap((r) =>
    ((r.results?.failed_checks ?? []) as any[]).flatMap((c) => {
      const file = String(c.file_path).replace(/^\//, '');
      const match = MANIFEST.exec(file);
      if (!match) return [];
      return [
        {
          target: match[1],
          linter: 'checkov' as const,
          check: c.check_id as string,
          object: locate(file, c.file_line_range?.[0]),
          message: c.check_name as string,
        },
      ];
    }),
  );
}
