import { fieldCoverage } from '../scripts/fields/field-coverage';
import { coverageOf } from '../scripts/fields/field-table';

describe('field coverage (issue #27): every emitted field is checked by a rule or is the library’s own', () => {
  const rows = fieldCoverage();

  test('no emitted field path lacks an entry, names a code outside the catalogue, or takes a user value the table calls the library’s', () => {
    expect(rows.filter((r) => r.problem).map((r) => `${r.path}: ${r.problem}`)).toEqual([]);
    expect(rows.length).toBeGreaterThan(300);
  });

  test('a field the table does not know is a gap', () => {
    expect(coverageOf('Deployment:spec.template.spec.newField')).toBeUndefined();
    expect(coverageOf('PodTemplate:spec.containers[].image')).toEqual({
      rules: ['image.unpinned', 'workload.image-missing'],
    });
  });
});
