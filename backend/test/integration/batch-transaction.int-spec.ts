import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Contact } from '../../src/modules/contacts/entities/contact.entity';
import { WalletService } from '../../src/modules/wallet/wallet.service';
import { WebhookProcessingService } from '../../src/modules/webhooks/webhook-processing.service';
import { simulatorEvent } from '../support/provider-webhooks';
import { RunningStack, startStack } from '../support/test-worker';
import { HOLD_PER_CALL, organizationWithUsRate, placeHeldCall } from '../support/us-rate';

/**
 * The worker's batch transaction begins with its first statements (not through TypeORM's
 * startTransaction); TypeORM must still know it is open, or a save() inside the batch would send
 * its own BEGIN and COMMIT and commit the batch's first half.
 */
describe('webhook batches: one transaction, whatever runs inside it (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let processing: WebhookProcessingService;
  let wallets: WalletService;

  beforeAll(async () => {
    stack = await startStack({ MAX_CALL_SECONDS: '600' });
    dataSource = stack.api.dataSource;
    processing = stack.worker.get(WebhookProcessingService);
    wallets = stack.worker.get(WalletService);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => stack.close());

  async function store(body: Record<string, unknown>): Promise<string> {
    const [row] = await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body)
       VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', 'application/json', $2) RETURNING id`,
      [`test-${randomUUID()}`, JSON.stringify(body)],
    );
    return row.id;
  }

  it('a save() inside a batch that then fails commits nothing: no money moved, no row saved, the event still to do', async () => {
    const { agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await placeHeldCall(stack.api, agent);
    const eventId = await store(
      simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 61 }),
    );
    const contactName = `saved inside a batch ${randomUUID()}`;
    // The settlement posts the charge, then something of the same transaction saves an entity the
    // TypeORM way and the batch fails after it.
    const postSettlements = wallets.postSettlements.bind(wallets);
    jest
      .spyOn(wallets, 'postSettlements')
      .mockImplementation(async (manager: EntityManager, plan) => {
        const settled = await postSettlements(manager, plan);
        await manager.save(
          manager.create(Contact, {
            organizationId: agent.organizationId,
            name: contactName,
            sortName: contactName,
            phone: '+14155550177',
          }),
        );
        expect(settled.settlements.size).toBe(1);
        throw new Error('the batch fails after a save()');
      });

    await expect(processing.processBatch([{ eventId }])).rejects.toThrow(
      'the batch fails after a save()',
    );

    const [money]: { transactions: string; held: string }[] = await dataSource.query(
      `SELECT (SELECT count(*) FROM ledger_transactions WHERE call_id = $1 AND kind <> 'hold') AS transactions,
              (SELECT held_micros FROM wallets WHERE organization_id = $2) AS held`,
      [call.id, agent.organizationId],
    );
    expect(money).toEqual({ transactions: '0', held: HOLD_PER_CALL.toString() });
    await expect(dataSource.getRepository(Contact).existsBy({ name: contactName })).resolves.toBe(
      false,
    );
    const [event]: { state: string }[] = await dataSource.query(
      'SELECT state FROM webhook_events WHERE id = $1',
      [eventId],
    );
    expect(event.state).toBe('received');
    const [stored]: { status: string }[] = await dataSource.query(
      'SELECT status FROM calls WHERE id = $1',
      [call.id],
    );
    expect(stored.status).toBe('initiated');

    // Nothing was left half done: the same batch, run again without the failure, charges once.
    jest.restoreAllMocks();
    const results = await processing.processBatch([{ eventId }]);
    expect(results.get(eventId)).toBe('processed');
    const [charged]: { cost_micros: string; held: string }[] = await dataSource.query(
      `SELECT c.cost_micros, w.held_micros AS held FROM calls c JOIN wallets w ON w.organization_id = c.organization_id
        WHERE c.id = $1`,
      [call.id],
    );
    expect(charged).toEqual({ cost_micros: '120000', held: '0' });
  });

  it('a transaction() inside a batch nests in it: what it wrote goes when the batch rolls back', async () => {
    const { agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await placeHeldCall(stack.api, agent);
    const eventId = await store(simulatorEvent(call.providerCallId!, 'ringing'));
    const contactName = `nested in a batch ${randomUUID()}`;
    const postSettlements = wallets.postSettlements.bind(wallets);
    jest
      .spyOn(wallets, 'postSettlements')
      .mockImplementation(async (manager: EntityManager, plan) => {
        await postSettlements(manager, plan);
        await manager.transaction((nested) =>
          nested.save(
            nested.create(Contact, {
              organizationId: agent.organizationId,
              name: contactName,
              sortName: contactName,
              phone: '+14155550178',
            }),
          ),
        );
        throw new Error('the batch fails after a nested transaction');
      });

    await expect(processing.processBatch([{ eventId }])).rejects.toThrow(
      'the batch fails after a nested transaction',
    );
    await expect(dataSource.getRepository(Contact).existsBy({ name: contactName })).resolves.toBe(
      false,
    );
  });
});
