// Prometheus metrics on /metrics (RELAY_METRICS_PORT; 0 = off): counters and latency histograms kept
// by this gateway, and per-subscription gauges read from the store when scraped.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, InstrumentType, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { Delivery, DeliveryReason, MessageStore, PublishOutcome, Receipt, Settlement } from '../../adapters/store.ts';
import { attr, latencyBucketsSeconds, metric } from './names.ts';

export type SettlementVerb = 'ack' | 'nack' | 'reject';

export interface MetricsOptions {
  /** Serves GET /metrics on this port. */
  readonly port: number;
  readonly host: string;
  readonly store: MessageStore;
  /** The gateway's service.name (OTEL_SERVICE_NAME, default relay). */
  readonly serviceName: string;
}

const reasonValue: Record<DeliveryReason, string> = {
  first: 'first',
  nack: 'nack',
  'lease-expired': 'lease_expired',
  'consumer-lost': 'consumer_lost',
  seek: 'seek',
  redrive: 'redrive',
};

/** Longest a scrape waits for the store's subscription stats. */
const statsTimeoutMs = 2000;

export class GatewayMetrics {
  private readonly provider: MeterProvider;
  private readonly published: Counter;
  private readonly delivered: Counter;
  private readonly settledCounters: Record<SettlementVerb, Counter>;
  private readonly publishDuration: Histogram;
  private readonly publishToAck: Histogram;
  /** Subscription name -> deliveries held by this gateway's streams, for the in-flight gauge. */
  private holding: () => ReadonlyMap<string, number> = () => new Map();
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    exporter: PrometheusExporter,
    options: MetricsOptions,
  ) {
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName }),
      readers: [exporter],
      views: [
        {
          instrumentType: InstrumentType.HISTOGRAM,
          aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: latencyBucketsSeconds } },
        },
      ],
    });
    const meter = this.provider.getMeter('relay');
    const message = '{message}';
    this.published = meter.createCounter(metric.published, { unit: message, description: 'Messages stored by Publish (duplicates not counted)' });
    this.delivered = meter.createCounter(metric.delivered, { unit: message, description: 'Delivery attempts handed to Subscribe streams, by reason' });
    this.settledCounters = {
      ack: meter.createCounter(metric.acked, { unit: message, description: 'Acks answered OK' }),
      nack: meter.createCounter(metric.nacked, { unit: message, description: 'Nacks answered OK' }),
      reject: meter.createCounter(metric.rejected, { unit: message, description: 'Rejects answered OK (each dead-letters the message)' }),
    };
    this.publishDuration = meter.createHistogram(metric.publishDuration, { unit: 's', description: 'Time to store a Publish batch' });
    this.publishToAck = meter.createHistogram(metric.publishToAck, { unit: 's', description: 'From publish to an ack answered OK' });

    meter
      .createObservableGauge(metric.inFlight, { unit: message, description: "Deliveries held by this gateway's streams, unsettled" })
      .addCallback((result) => {
        for (const [subscription, held] of this.holding()) result.observe(held, consumerAttributes(subscription));
      });
    const backlog = meter.createObservableGauge(metric.backlog, { unit: message, description: 'Messages never delivered (store-wide)' });
    const inFlight = meter.createObservableGauge(metric.subscriptionInFlight, { unit: message, description: 'Messages delivered, not settled (store-wide)' });
    const oldest = meter.createObservableGauge(metric.oldestUnackedAge, { unit: 's', description: 'Age of the oldest unsettled message (store-wide)' });
    const deadLettered = meter.createObservableGauge(metric.deadLettered, { unit: message, description: 'Messages dead-lettered so far (store-wide)' });
    // Stats of the subscriptions with open streams on this gateway, read once per scrape.
    meter.addBatchObservableCallback(
      async (result) => {
        const names = [...this.holding().keys()];
        let expire = () => {};
        const timeout = new Promise<undefined>((resolve) => (expire = () => resolve(undefined)));
        const timer = setTimeout(() => expire(), statsTimeoutMs);
        const stats = await Promise.all(
          names.map((name) => Promise.race([options.store.stats(name).catch(() => undefined), timeout])),
        ).finally(() => clearTimeout(timer));
        const now = Date.now();
        stats.forEach((stat, i) => {
          if (!stat) return;
          const attributes = consumerAttributes(names[i]!);
          result.observe(backlog, stat.backlog, attributes);
          result.observe(inFlight, stat.inFlight, attributes);
          result.observe(oldest, stat.oldestUnsettledMs === null ? 0 : Math.max(0, now - stat.oldestUnsettledMs) / 1000, attributes);
          result.observe(deadLettered, stat.deadLettered, attributes);
        });
      },
      [backlog, inFlight, oldest, deadLettered],
    );
  }

  /** Serves /metrics; resolves once it listens (rejects when the port is taken). */
  static async start(options: MetricsOptions): Promise<GatewayMetrics> {
    const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    const server = createServer((request, response) => {
      if (request.method === 'GET' && request.url?.split('?')[0] === '/metrics') exporter.getMetricsRequestHandler(request, response);
      else response.writeHead(404).end('not found; metrics are on /metrics\n');
    });
    server.listen(options.port, options.host);
    await once(server, 'listening');
    return new GatewayMetrics(server, exporter, options);
  }

  /** The port /metrics is served on. */
  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Where the in-flight gauge and the per-subscription stats come from. */
  observe(holding: () => ReadonlyMap<string, number>): void {
    this.holding = holding;
  }

  publishedBatch(topic: string, outcomes: readonly PublishOutcome[], seconds: number): void {
    const attributes = { [attr.destination]: topic };
    const stored = outcomes.reduce((count, outcome) => count + (outcome.duplicate ? 0 : 1), 0);
    if (stored > 0) this.published.add(stored, attributes);
    this.publishDuration.record(seconds, attributes);
  }

  deliveredBatch(subscription: string, deliveries: readonly Delivery[]): void {
    const counts = new Map<DeliveryReason, number>();
    for (const delivery of deliveries) counts.set(delivery.reason, (counts.get(delivery.reason) ?? 0) + 1);
    for (const [reason, count] of counts) {
      this.delivered.add(count, { ...consumerAttributes(subscription), [attr.deliveryReason]: reasonValue[reason] });
    }
  }

  /** Settlements answered OK; acks also record publish-to-ack time (a message id's ms part is its publish time). */
  settled(subscription: string, verb: SettlementVerb, receipts: readonly Receipt[], results: readonly Settlement[]): void {
    const attributes = consumerAttributes(subscription);
    const now = Date.now();
    let ok = 0;
    results.forEach((result, i) => {
      if (result !== 'ok') return;
      ok++;
      if (verb === 'ack') {
        const id = receipts[i]!.messageId;
        this.publishToAck.record(Math.max(0, now - Number(id.slice(0, id.indexOf('-')))) / 1000, attributes);
      }
    });
    if (ok > 0) this.settledCounters[verb].add(ok, attributes);
  }

  /** Stops serving /metrics. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      await this.provider.shutdown().catch(() => {});
    })();
    return this.closed;
  }
}

function consumerAttributes(subscription: string): Attributes {
  return { [attr.consumerGroup]: subscription };
}
