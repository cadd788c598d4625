/** Jobs of the campaigns queue (BullMQ forbids ':' in custom job ids: the parts are joined with '.'). */
export type CampaignJob =
  { kind: 'tick'; campaignId: string } | { kind: 'attempt'; campaignId: string; attemptId: string };

/** The one job scheduler of a campaign: upserting it twice changes nothing. */
export const schedulerId = (campaignId: string) => `campaign.${campaignId}.scheduler`;

/**
 * `campaign.<id>.contact.<cid>.attempt.<n>`: one job per contact-attempt. A second add with the
 * same id while the first exists is ignored by BullMQ; the UNIQUE (campaign_contact_id, attempt)
 * row and its state make a re-run after a crash place nothing twice.
 */
export const attemptJobId = (campaignId: string, contactId: string, attempt: number) =>
  `campaign.${campaignId}.contact.${contactId}.attempt.${attempt}`;

/**
 * The job a campaign's scheduler adds every CAMPAIGN_TICK_MS. Nothing reads a finished tick, and
 * at 4 a second the default retention (an hour, up to 10,000 jobs) would only keep Redis busy
 * trimming them: a done tick is deleted at once; a failed one (the next tick does its work again)
 * is kept among the last 100 for inspection.
 */
export const tickJob = (campaignId: string) => ({
  name: 'tick',
  data: { kind: 'tick' as const, campaignId },
  opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
});
