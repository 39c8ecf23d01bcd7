import * as fs from 'fs';
import * as path from 'path';

/**
 * The reference system as plain objects, for the generators that do not use the library: the
 * system-level objects and one service's objects with the placeholder name `svc-0`, recorded in
 * bench/reference-service.json. The benchmark checks that every generator's parsed output equals
 * the library's, so the comparison stays fair when the library's output changes (re-record with
 * `npm run bench -- --record`).
 */
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../bench/reference-service.json'), 'utf8'));
const serviceTemplate = JSON.stringify(reference.service);

/** The objects of the reference system with `services` services, as plain JS. */
export function referenceObjects(services: number): any[] {
  const objects: any[] = [...reference.system];
  for (let i = 0; i < services; i++) objects.push(...JSON.parse(serviceTemplate.replace(/svc-0/g, `svc-${i}`)));
  return objects;
}
