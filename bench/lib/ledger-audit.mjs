// @ts-check
// The chaos run's verdict, read from the database alone: what every call, event and wallet should
// be (known to the sender, who decided each call's fate) against what Switchboard stored.

/**
 * What Switchboard's rating must charge (backend/src/modules/billing/rating.ts, restated).
 * @param {number} talkSeconds
 * @param {{ ratePerMinuteMicros: bigint, initialIncrement: number, subsequentIncrement: number, minimumSeconds: number }} terms
 */
export function expectedCost(talkSeconds, terms) {
  const talked = Math.ceil(Math.max(0, talkSeconds));
  if (talked === 0) return 0n;
  const atLeast = Math.max(talked, terms.minimumSeconds);
  const billed =
    atLeast <= terms.initialIncrement
      ? terms.initialIncrement
      : terms.initialIncrement +
        Math.ceil((atLeast - terms.initialIncrement) / terms.subsequentIncrement) *
          terms.subsequentIncrement;
  return (BigInt(billed) * terms.ratePerMinuteMicros + 59n) / 60n;
}

const CHARGES = new Set(['capture', 'call_charge']);

/**
 * @param {import('pg').Client} client
 * @param {{
 *   calls: Map<string, { organizationId: string, status: string, talkSeconds: number, eventKeys: string[] }>,
 *   credits: Map<string, bigint>,
 * }} expected calls by id (their true final status, the dedupe keys of the events sent for them) and
 *   the money each organization was credited
 * @returns the counts, the problems found (each a sentence) and the three headline numbers
 */
export async function auditChaosRun(client, expected) {
  /** @type {string[]} */
  const problems = [];
  /** @param {string} message */
  const problem = (message) => {
    if (problems.length < 50) problems.push(message);
    else if (problems.length === 50) problems.push('… (more problems not listed)');
  };
  let lost = 0;
  let duplicated = 0;
  let doubleCharged = 0;

  // Events: each sent event stored once, processed, and on its call's timeline exactly once.
  const events = (
    await client.query(
      `SELECT e.dedupe_key, e.state, e.source, e.last_error,
              (SELECT count(*)::int FROM call_events c WHERE c.webhook_event_id = e.id) AS timeline_rows
         FROM webhook_events e WHERE e.provider = 'simulator'`,
    )
  ).rows;
  const stored = new Map();
  for (const event of events) {
    if (stored.has(event.dedupe_key)) {
      duplicated += 1;
      problem(`event ${event.dedupe_key} stored twice`);
    }
    stored.set(event.dedupe_key, event);
  }
  const sentKeys = new Set();
  for (const call of expected.calls.values()) for (const key of call.eventKeys) sentKeys.add(key);
  let processed = 0;
  for (const key of sentKeys) {
    const event = stored.get(key);
    if (!event) {
      lost += 1;
      problem(`event ${key} was acknowledged but never stored`);
      continue;
    }
    if (event.state === 'processed') processed += 1;
    else {
      lost += 1;
      problem(
        `event ${key} ended ${event.state}${event.last_error ? `: ${event.last_error}` : ''}`,
      );
    }
    if (event.timeline_rows === 0 && event.state === 'processed') {
      lost += 1;
      problem(`event ${key} is processed but missing from its call's timeline`);
    } else if (event.timeline_rows > 1) {
      duplicated += 1;
      problem(`event ${key} is on its call's timeline ${event.timeline_rows} times`);
    }
  }
  const strangers = events.filter((event) => !sentKeys.has(event.dedupe_key));
  for (const event of strangers)
    problem(
      `an event nobody sent was stored: ${event.dedupe_key} (${event.source}, ${event.state})`,
    );

  // Calls: their true final status, talk time, cost.
  const calls = (
    await client.query(
      `SELECT id, organization_id, status, billable_seconds, cost_micros, hold_micros,
              rate_per_minute_micros, rate_initial_increment, rate_subsequent_increment, rate_minimum_seconds
         FROM calls`,
    )
  ).rows;
  /** @type {Record<string, number>} */
  const byStatus = {};
  let wrongStatus = 0;
  const expectedCharge = new Map();
  for (const row of calls) {
    const want = expected.calls.get(row.id);
    if (!want) {
      problem(`call ${row.id} exists but the run never placed it (${row.status})`);
      continue;
    }
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.status !== want.status) {
      wrongStatus += 1;
      lost += 1;
      problem(`call ${row.id} is ${row.status}, its provider said ${want.status}`);
    }
    const cost =
      want.status === 'completed'
        ? expectedCost(want.talkSeconds, {
            ratePerMinuteMicros: BigInt(row.rate_per_minute_micros),
            initialIncrement: row.rate_initial_increment,
            subsequentIncrement: row.rate_subsequent_increment,
            minimumSeconds: row.rate_minimum_seconds,
          })
        : 0n;
    expectedCharge.set(row.id, { cost, hold: BigInt(row.hold_micros ?? 0) });
    if (row.cost_micros === null || BigInt(row.cost_micros) !== cost)
      problem(`call ${row.id} (${want.status}) costs ${row.cost_micros}, should cost ${cost}`);
  }
  for (const id of expected.calls.keys())
    if (!expectedCharge.has(id)) {
      lost += 1;
      problem(`call ${id} was placed (201) but is not in the database`);
    }

  // Money: per call one hold, its capture/charges equal to its cost, the rest released.
  const transactions = (
    await client.query(
      `SELECT t.call_id, t.kind, t.idempotency_key, t.organization_id,
              t.balance_change_micros, t.held_change_micros
         FROM ledger_transactions t`,
    )
  ).rows;
  const keys = new Set();
  /** @type {Map<string, { kind: string, balance_change_micros: string, held_change_micros: string }[]>} */
  const ofCall = new Map();
  for (const tx of transactions) {
    if (keys.has(tx.idempotency_key)) {
      duplicated += 1;
      problem(`ledger transaction ${tx.idempotency_key} posted twice`);
    }
    keys.add(tx.idempotency_key);
    if (!tx.call_id) continue;
    const own = ofCall.get(tx.call_id) ?? [];
    own.push(tx);
    ofCall.set(tx.call_id, own);
  }
  let charged = 0;
  let unsettled = 0;
  for (const [id, { cost, hold }] of expectedCharge) {
    const own = ofCall.get(id) ?? [];
    /** @param {string} kind */
    const count = (kind) => own.filter((tx) => tx.kind === kind).length;
    const chargedMicros = own
      .filter((tx) => CHARGES.has(tx.kind))
      .reduce((sum, tx) => sum - BigInt(tx.balance_change_micros), 0n);
    const heldLeft = own.reduce((sum, tx) => sum + BigInt(tx.held_change_micros), 0n);
    if (
      count('hold') !== 1 ||
      count('capture') > 1 ||
      count('release') > 1 ||
      count('call_charge') > 1
    ) {
      problem(
        `call ${id}: ${count('hold')} hold, ${count('capture')} capture, ${count('release')} release, ${count('call_charge')} charge transactions`,
      );
    }
    if (chargedMicros > cost || count('capture') > 1 || count('call_charge') > 1) {
      doubleCharged += 1;
      problem(`call ${id} charged ${chargedMicros}, should be ${cost}`);
    } else if (chargedMicros < cost) {
      problem(`call ${id} charged ${chargedMicros}, should be ${cost} (undercharged)`);
    }
    if (cost > 0n) charged += 1;
    if (heldLeft !== 0n) {
      unsettled += 1;
      problem(`call ${id} still holds ${heldLeft} of its ${hold} hold`);
    }
  }

  // Wallets: balance = credits − charges, cached columns = the entries, nothing held, none < 0.
  const wallets = (
    await client.query(
      `SELECT w.organization_id, w.balance_micros, w.held_micros,
              (SELECT coalesce(sum(e.amount_micros), 0) FROM ledger_entries e
                WHERE e.account_id IN (w.wallet_account_id, w.holds_account_id)) AS entries,
              (SELECT coalesce(sum(e.amount_micros), 0) FROM ledger_entries e
                WHERE e.account_id = w.holds_account_id) AS holds_entries
         FROM wallets w`,
    )
  ).rows;
  const chargesOf = new Map();
  for (const [id, { cost }] of expectedCharge) {
    const organizationId = expected.calls.get(id)?.organizationId;
    if (organizationId === undefined) continue; // only placed calls are expected to be charged
    chargesOf.set(organizationId, (chargesOf.get(organizationId) ?? 0n) + cost);
  }
  let negative = 0;
  for (const wallet of wallets) {
    const credits = expected.credits.get(wallet.organization_id) ?? 0n;
    const want = credits - (chargesOf.get(wallet.organization_id) ?? 0n);
    const balance = BigInt(wallet.balance_micros);
    const org = wallet.organization_id;
    if (balance !== want) problem(`wallet ${org}: balance ${balance}, credits − charges = ${want}`);
    if (BigInt(wallet.entries) !== balance)
      problem(
        `wallet ${org}: cached balance ${balance}, its ledger entries sum to ${wallet.entries}`,
      );
    if (BigInt(wallet.held_micros) !== 0n || BigInt(wallet.holds_entries) !== 0n) {
      problem(`wallet ${org}: ${wallet.held_micros} still held (entries ${wallet.holds_entries})`);
    }
    if (balance < 0n || balance - BigInt(wallet.held_micros) < 0n) {
      negative += 1;
      problem(`wallet ${org} is below zero: ${balance}`);
    }
  }
  const unbalanced = Number(
    (
      await client.query(
        `SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entries
           GROUP BY transaction_id HAVING sum(amount_micros) <> 0) t`,
      )
    ).rows[0].n,
  );
  if (unbalanced) problem(`${unbalanced} ledger transaction(s) whose entries do not sum to zero`);

  return {
    counts: {
      calls: calls.length,
      byStatus,
      eventsSent: sentKeys.size,
      eventsStored: events.length,
      eventsProcessed: processed,
      callsCharged: charged,
      callsWithHoldLeft: unsettled,
      wrongStatus,
      wallets: wallets.length,
      walletsBelowZero: negative,
      ledgerTransactions: transactions.length,
    },
    lost,
    duplicated,
    doubleCharged,
    problems,
  };
}
