import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('runs the items submitted in the same turn as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      name: 'test',
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items);
        return items.map((item) => item * 2);
      },
      onBatchError: 'each-alone',
    });
    expect(await Promise.all([1, 2, 3].map((item) => batcher.submit(item)))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at maxBatch, and gives an item its own error without failing the others', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      name: 'test',
      maxBatch: 2,
      maxInFlight: 2,
      run: async (items) => {
        batches.push(items);
        return items.map((item) => (item === 3 ? new Error('three') : item));
      },
      onBatchError: 'each-alone',
    });
    const results = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
    expect(batches).toEqual([[1, 2], [3]]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('runs the items of a batch that throws one by one (each-alone), or fails them all (all-fail)', async () => {
    const run = async (items: number[]) => {
      if (items.includes(2)) throw new Error('two spoils its batch');
      return items;
    };
    const options = { name: 'test', maxBatch: 10, maxInFlight: 1, run };
    const alone = new MicroBatcher<number, number>({ ...options, onBatchError: 'each-alone' });
    const together = new MicroBatcher<number, number>({ ...options, onBatchError: 'all-fail' });
    const status = async (batcher: MicroBatcher<number, number>) =>
      (await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)))).map(
        (result) => result.status,
      );
    expect(await status(alone)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await status(together)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
