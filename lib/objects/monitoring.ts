import { Duration } from 'cdk8s';
import { checkDnsLabel, checkPortNumber, checkWholeSeconds, MAX_INT32, problems } from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import { Json } from './api-object';

/**
 * The Prometheus Operator (monitoring.coreos.com/v1): a ServiceMonitor scraping a service's
 * metrics port through its Service, or a PodMonitor scraping the pods directly.
 */

/** API version of the Prometheus Operator's kinds. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

/** Labels the Prometheus Operator puts on the Prometheus pods it runs. */
export const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };

/** Where a service serves Prometheus metrics, and who scrapes them. */
export interface MetricsOptions {
  /** Name of the port serving metrics. @default "metrics" */
  readonly portName?: string;
  /**
   * A port only the pods open, on no Service: for a worker without a Service, scraped through a
   * PodMonitor. @default - `portName` names a port the service declares, scraped through its
   * Service by a ServiceMonitor (a PodMonitor for a StatefulSet, whose headless Service would
   * have every pod scraped twice)
   */
  readonly port?: number;
  /** HTTP path of the metrics. @default "/metrics" */
  readonly path?: string;
  /** How often Prometheus scrapes. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /**
   * Labels of the ServiceMonitor or PodMonitor, beside the workload's: what the Prometheus
   * resource's `serviceMonitorSelector`/`podMonitorSelector` selects (kube-prometheus-stack:
   * `release: <its release name>`). @default - the workload's labels only
   */
  readonly labels?: { [key: string]: string };
  /** Namespace Prometheus runs in: its NetworkPolicy admits that namespace on the metrics port only. @default "monitoring" */
  readonly prometheusNamespace?: string;
  /** Labels of the Prometheus pods. @default { "app.kubernetes.io/name": "prometheus" } (the Prometheus Operator's) */
  readonly prometheusPodLabels?: { [key: string]: string };
}

/** The scrape endpoint of a ServiceMonitor or PodMonitor for port `portName`. */
export function scrapeEndpoint(options: MetricsOptions, portName: string): Json {
  return { port: portName, path: options.path ?? '/metrics', interval: `${options.interval?.toSeconds() ?? 30}s` };
}

/** The spec of a ServiceMonitor selecting the Services labelled `selector`, or of a PodMonitor selecting such pods. */
export function monitorSpec(options: MetricsOptions, portName: string, selector: Json, pods: boolean): Json {
  return {
    selector: { matchLabels: selector },
    [pods ? 'podMetricsEndpoints' : 'endpoints']: [scrapeEndpoint(options, portName)],
  };
}

/** Problems of metrics options under `prop` that need nothing else: the port number, path, interval, namespace. */
export function metricsOptionProblems(prop: string, options: MetricsOptions): Problem[] {
  const found = problems(
    options.port === undefined ? undefined : checkPortNumber(`${prop}.port`, options.port),
    options.interval === undefined
      ? undefined
      : checkWholeSeconds(`${prop}.interval`, options.interval, 1, MAX_INT32, 'e.g. Duration.seconds(30)'),
    options.prometheusNamespace === undefined
      ? undefined
      : checkDnsLabel(`${prop}.prometheusNamespace`, options.prometheusNamespace),
  );
  if (options.path !== undefined && !(typeof options.path === 'string' && options.path.startsWith('/')))
    found.push(problem('metrics.path', `${prop}.path`, options.path));
  return found;
}
