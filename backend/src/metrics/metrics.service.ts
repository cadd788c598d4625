import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { QueueName } from '../queue/queue-name';

/** Prometheus metrics of the api process: HTTP latency, queue depth, Node's own. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(
    @InjectQueue(QueueName.WebhookEvents) webhookEvents: Queue,
    @InjectQueue(QueueName.Simulator) simulator: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    const queues = [webhookEvents, simulator, maintenance];
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state, read at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue
            .getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')
            .catch(() => undefined);
          if (!counts) continue;
          for (const [state, count] of Object.entries(counts))
            this.set({ queue: queue.name, state }, count);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number) {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
