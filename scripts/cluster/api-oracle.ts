import * as fs from 'fs';
import * as https from 'https';
import * as yaml from 'js-yaml';

/** The API server as an oracle: dry-run creates over its REST API, many at a time. */

/** What the server said about one object. */
export interface Verdict {
  readonly accepted: boolean;
  readonly message: string;
  readonly body?: any;
}

/** Creates objects with a server-side dry run and strict field validation, over the API directly. */
export class ApiOracle {
  private readonly server: URL;
  private readonly token: string;
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });

  constructor(kubeconfig: string) {
    const config = yaml.load(fs.readFileSync(kubeconfig, 'utf8')) as any;
    this.server = new URL(config.clusters[0].cluster.server);
    this.token = config.users[0].user.token;
  }

  /** The server's verdict on creating `body` at `path`: accepted (without warnings) or why not. */
  public verdict(path: string, body: object): Promise<Verdict> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          host: this.server.hostname,
          port: this.server.port,
          method: 'POST',
          agent: this.agent,
          path: `${path}?dryRun=All&fieldValidation=Strict`,
          headers: {
            Authorization: `Bearer ${this.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const warnings = ([] as string[]).concat(response.headers.warning ?? []);
            const parsed = text.startsWith('{') ? JSON.parse(text) : undefined;
            // 409: the name is taken (default, kube-system), so it passed validation.
            if ((status >= 200 && status < 300) || status === 409) {
              resolve({
                accepted: warnings.length === 0,
                message: warnings.length === 0 ? `HTTP ${status}` : `accepted with warnings: ${warnings.join('; ')}`,
                body: parsed,
              });
            } else if (status === 400 || status === 422) {
              resolve({ accepted: false, message: parsed?.message ?? text });
            } else {
              reject(new Error(`unexpected HTTP ${status} for ${path}: ${text}`));
            }
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  public close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items`, `width` at a time, keeping the order of results. */
export async function pool<I, O>(items: readonly I[], width: number, work: (item: I) => Promise<O>): Promise<O[]> {
  const results: O[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}
