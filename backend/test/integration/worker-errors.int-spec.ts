import { INestApplicationContext, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { SimulatorDeliveryProcessor } from '../../src/modules/providers/simulator/simulator-delivery.processor';
import { MaintenanceProcessor } from '../../src/modules/webhooks/maintenance.processor';
import { WebhookEventsProcessor } from '../../src/modules/webhooks/webhook-events.processor';
import { LoggedWorkerHost } from '../../src/queue/logged-worker-host';
import { startWorker } from '../support/test-worker';

const PROCESSORS = [WebhookEventsProcessor, MaintenanceProcessor, SimulatorDeliveryProcessor];

describe('worker errors', () => {
  let worker: INestApplicationContext;
  beforeAll(async () => {
    worker = await startWorker();
    // Closing workers still connecting makes ioredis reject their first commands.
    for (const processorClass of PROCESSORS)
      await worker.get<LoggedWorkerHost>(processorClass).worker.waitUntilReady();
  });
  afterAll(() => worker.close());

  it.each(PROCESSORS)(
    '%p logs its BullMQ worker errors through the application logger',
    (processorClass) => {
      const processor: LoggedWorkerHost = worker.get(processorClass);
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        processor.worker.emit('error', new Error('Missing key for job repeat:sweep:1'));
        expect(logged).toHaveBeenCalledWith(
          'worker error: Missing key for job repeat:sweep:1',
          expect.stringContaining('Error: Missing key'),
        );
      } finally {
        logged.mockRestore();
      }
    },
  );

  it('says where a simulator webhook could not be delivered, and fails its job so it is retried', async () => {
    // The test environment's PUBLIC_BASE_URL names a port where no api listens.
    const processor = worker.get(SimulatorDeliveryProcessor);
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const job = { data: { webhookId: 'msg_unreachable', body: {} } } as unknown as Job;
      await expect(processor.process(job)).rejects.toThrow('fetch failed');
      expect(warned).toHaveBeenCalledWith(
        expect.stringMatching(
          /^simulator webhook msg_unreachable could not reach http:\/\/127\.0\.0\.1:3999\/api\/webhooks\/simulator \(.*ECONNREFUSED.*\); is PUBLIC_BASE_URL/,
        ),
      );
    } finally {
      warned.mockRestore();
    }
  });
});
