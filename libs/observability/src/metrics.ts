import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per app; the gateway's hot path only increments in-process counters. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'switchyard_gateway_requests_total',
    help: 'Requests answered on /v1, by route, status and outcome',
    labelNames: ['route', 'status', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: 'switchyard_upstream_first_byte_seconds',
    help: 'Time to the upstream response headers',
    labelNames: ['provider'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly usageEventsOutboxed = new Counter({
    name: 'switchyard_usage_events_outboxed_total',
    help: 'Usage events written to the local outbox because Redis did not take them',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
