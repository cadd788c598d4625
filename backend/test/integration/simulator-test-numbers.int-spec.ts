import { DataSource } from 'typeorm';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { loginAs, request } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate } from '../support/us-rate';

/** DESIGN §9 "Simulator test numbers", end to end: POST /api/calls → simulator → webhooks → calls. */
describe('simulator test numbers (real PostgreSQL, Redis, worker)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ SIMULATOR_TIME_SCALE: '0.01', MAX_CALL_SECONDS: '600' });
    dataSource = stack.api.dataSource;
    const users = await organizationWithUsRate(stack.api, 100_000_000n);
    token = await loginAs(stack.api.baseUrl, users.agent);
  });
  afterAll(() => stack?.close());

  const place = async (to: string, extra: Record<string, unknown> = {}) => {
    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to, ...extra },
    });
    expect(placed.status).toBe(201);
    return placed.body.id as string;
  };
  const ended = (id: string) =>
    eventually(async () => {
      const call = await dataSource.getRepository(Call).findOneByOrFail({ id });
      return call.endedAt && call.costMicros !== null ? call : null;
    }, `call ${id} to end`);

  it('ends each call as its number says, and an explicit scenario wins', async () => {
    const ids = {
      completed: await place('+14155550107'),
      busy: await place('+14155550163'),
      noAnswer: await place('+14155550171'),
      failed: await place('+14155550188'),
      overridden: await place('+14155550163', { scenario: 'completed', talkSeconds: 3 }),
    };
    const completed = await ended(ids.completed);
    expect(completed).toMatchObject({ status: 'completed', billableSeconds: 27 });
    expect((await ended(ids.busy)).status).toBe('busy');
    expect((await ended(ids.noAnswer)).status).toBe('no_answer');
    expect((await ended(ids.failed)).status).toBe('failed');
    expect(await ended(ids.overridden)).toMatchObject({ status: 'completed', billableSeconds: 3 });
  });

  it('keeps a 90–99 call answered until it is hung up', async () => {
    const id = await place('+14155550199');
    await eventually(async () => {
      const call = await dataSource.getRepository(Call).findOneByOrFail({ id });
      return call.status === 'in_progress';
    }, 'the call to be answered');
    // 600 s limit at 0.01 = 6 s: well past any planned end of a normal call.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await dataSource.getRepository(Call).findOneByOrFail({ id })).status).toBe(
      'in_progress',
    );
    const hangup = await request(stack.api.baseUrl, 'POST', `/api/calls/${id}/hangup`, { token });
    expect(hangup.status).toBe(202);
    const call = await ended(id);
    expect(call.status).toBe('completed');
    expect(call.hangupReason).toBe('Hung up from Switchboard');
  });
});
