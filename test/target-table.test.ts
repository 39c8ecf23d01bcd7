import * as fs from 'fs';
import * as path from 'path';
import { targetTable, withTable } from '../scripts/docs/target-table';

describe('target table', () => {
  test.each(['README.md', 'docs/targets.md'])(
    '%s holds the table the profiles render (npm run docs writes it)',
    (file) => {
      const text = fs.readFileSync(path.join(__dirname, '..', file), 'utf8');
      expect(withTable(text, targetTable(), file)).toBe(text);
    },
  );
});
