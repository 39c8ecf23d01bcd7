import { checkDnsLabel, checkImage, checkPortName, parseImage, parseQuantity } from '../lib/checks';

describe('input checks', () => {
  test.each([
    ['100m', 0.1], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['2k', 2000], ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30], ['1G', 1e9], ['64Ki', 65536],
  ])('parses the quantity %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  test.each(['', '1 Gi', '1GB', 'm', '-1', '1e3', '1..5'])('rejects the malformed quantity %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test.each([
    ['nginx:1.27', { repository: 'nginx', tag: '1.27', digest: undefined }],
    ['localhost:5000/acme/api:2.0', { repository: 'localhost:5000/acme/api', tag: '2.0', digest: undefined }],
    ['localhost:5000/acme/api', { repository: 'localhost:5000/acme/api', tag: undefined, digest: undefined }],
    [`ghcr.io/acme/api:1.0@sha256:${'b'.repeat(64)}`, { repository: 'ghcr.io/acme/api', tag: '1.0', digest: `sha256:${'b'.repeat(64)}` }],
  ])('splits the image %s', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });

  test.each(['nginx:1.27.2', `nginx@sha256:${'c'.repeat(64)}`, 'registry.example.com:5000/team/api:v3', `nginx:latest@sha256:${'d'.repeat(64)}`])('accepts the pinned image %s', (image) => {
    expect(checkImage('image', image)).toBeUndefined();
  });

  test('a registry port is not a tag', () => {
    expect(checkImage('image', 'localhost:5000/api')?.hint).toBe('an untagged image means "latest" and changes under you: pin it, e.g. "localhost:5000/api:1.0.0"');
  });

  test('DNS labels and port names', () => {
    expect(checkDnsLabel('name', 'orders-v2')).toBeUndefined();
    expect(checkDnsLabel('name', 'orders-')?.hint).toBe('try "orders"');
    expect(checkPortName('name', 'http-metrics')).toBeUndefined();
    expect(checkPortName('name', '8080')?.allowed).toContain('at least one letter');
    expect(checkPortName('name', 'a--b')).toBeDefined();
  });
});
