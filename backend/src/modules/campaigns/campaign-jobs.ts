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
