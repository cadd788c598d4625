/** How the Audit page says what happened and what changed. */

/** The families the filter offers (an action's first word). */
export const AUDIT_FAMILIES: readonly { value: string; label: string }[] = [
  { value: 'user.', label: 'Users and roles' },
  { value: 'organization.', label: 'Organization' },
  { value: 'caller_id.', label: 'Caller IDs' },
  { value: 'dnc.', label: 'Do not call' },
  { value: 'campaign.', label: 'Campaigns' },
  { value: 'api_key.', label: 'API keys' },
  { value: 'wallet.', label: 'Wallet and credits' },
  { value: 'call.', label: 'Refunds' },
  { value: 'webhook_endpoint.', label: 'Webhook endpoints' },
  { value: 'webhook_delivery.', label: 'Webhook resends' },
  { value: 'webhook_event.', label: 'Webhook replays' },
  { value: 'price_plan.', label: 'Price plans' },
];

const ACTION_LABELS: Readonly<Record<string, string>> = {
  'user.created': 'Added a user',
  'user.updated': 'Renamed a user',
  'user.role_changed': 'Changed a user’s role',
  'user.deactivated': 'Deactivated a user',
  'user.reactivated': 'Reactivated a user',
  'user.invited': 'Invited a user',
  'user.setup_link_issued': 'Issued a new setup link',
  'user.setup_completed': 'Set their password with a setup link',
  'user.password_changed': 'Changed their password',
  'organization.created': 'Created the organization',
  'organization.settings_changed': 'Changed organization settings',
  'organization.suspended': 'Suspended the organization',
  'organization.reinstated': 'Reinstated the organization',
  'organization.price_plan_assigned': 'Assigned a price plan',
  'organization.updated': 'Updated the organization',
  'caller_id.added': 'Added a caller ID',
  'caller_id.removed': 'Removed a caller ID',
  'dnc.added': 'Added a number to do-not-call',
  'dnc.removed': 'Removed a number from do-not-call',
  'campaign.created': 'Created a campaign',
  'campaign.started': 'Started a campaign',
  'campaign.paused': 'Paused a campaign',
  'campaign.resumed': 'Resumed a campaign',
  'campaign.cancelled': 'Cancelled a campaign',
  'api_key.created': 'Created an API key',
  'api_key.revoked': 'Revoked an API key',
  'wallet.credited': 'Credited the wallet',
  'wallet.topped_up': 'Topped up the wallet',
  'wallet.settings_changed': 'Changed the low-balance warning',
  'webhook_endpoint.created': 'Added a webhook endpoint',
  'webhook_endpoint.updated': 'Edited a webhook endpoint',
  'webhook_endpoint.disabled': 'Disabled a webhook endpoint',
  'webhook_endpoint.enabled': 'Enabled a webhook endpoint',
  'webhook_endpoint.deleted': 'Deleted a webhook endpoint',
  'webhook_endpoint.secret_rotated': 'Rotated a webhook secret',
  'webhook_delivery.resent': 'Resent a webhook delivery',
  'call.refunded': 'Refunded a call',
  'webhook_event.replayed': 'Replayed a webhook event',
  'price_plan.created': 'Created a price plan',
  'price_plan.rates_replaced': 'Replaced a price plan’s rates',
};

/** "Changed a user’s role"; an action the console does not know yet reads as itself. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action.replace(/[._]/g, ' ');
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  timeZone: 'Time zone',
  pricePlanId: 'Price plan',
  suspensionReason: 'Suspension reason',
  suspendedAt: 'Suspended at',
  balanceMicros: 'Balance',
  amountMicros: 'Amount',
  chargedMicros: 'Charged',
  refundedMicros: 'Refunded',
  transactionId: 'Transaction',
  revokedAt: 'Revoked at',
  lastError: 'Last error',
  maxConcurrent: 'Max concurrent',
  perMinute: 'Per minute',
  retryOn: 'Retry on',
  maxAttempts: 'Max attempts',
  retryDelaySeconds: 'Retry delay (s)',
  callerId: 'Caller ID',
  pauseReason: 'Pause reason',
  copyFrom: 'Copied from',
  defaultCountry: 'Country',
  lowBalanceThresholdMicros: 'Low-balance warning',
  setupLinkExpiresAt: 'Setup link expires',
  hasPassword: 'Has a password',
  sessionVersion: 'Session version',
  previousSecret: 'Previous secret',
  previousSecretExpiresAt: 'Previous secret stops signing',
  disabledReason: 'Disabled because',
};

/** "Time zone"; otherwise the key with its first letter up and its words apart. */
export function fieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as a person reads it: money from micros, yes/no, — for nothing, lists and objects briefly. */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (/Micros$/.test(field) && /^-?\d+$/.test(String(value))) {
    const micros = BigInt(String(value));
    const sign = micros < 0n ? '-' : '';
    const abs = micros < 0n ? -micros : micros;
    const cents = (abs + 5_000n) / 10_000n;
    return `${sign}$${(cents / 100n).toLocaleString('en-US')}.${String(cents % 100n).padStart(2, '0')}`;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && ISO_INSTANT.test(value))
    return new Date(value).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((item) => typeof item !== 'object')) return value.join(', ');
    return `${value.length} ${value.length === 1 ? 'item' : 'items'}`;
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== null && inner !== undefined)
      .map(([key, inner]) => `${fieldLabel(key)}: ${formatValue(key, inner)}`)
      .join(' · ');
  }
  return String(value);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const TARGET_LABELS: Readonly<Record<string, string>> = {
  user: 'User',
  organization: 'Organization',
  caller_id: 'Caller ID',
  dnc_number: 'Do-not-call number',
  campaign: 'Campaign',
  api_key: 'API key',
  call: 'Call',
  price_plan: 'Price plan',
  webhook_event: 'Webhook event',
  webhook_endpoint: 'Webhook endpoint',
  webhook_delivery: 'Webhook delivery',
  payment: 'Payment',
};

/** "API key"; an unknown type reads as its words. */
export function targetLabel(type: string): string {
  return TARGET_LABELS[type] ?? type.replace(/_/g, ' ');
}

export interface AuditChange {
  field: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

/**
 * The fields of an entry, before and after: every field either side has, changed ones first.
 * A creation has no before, a removal no after.
 */
export function auditChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const rows = fields.map((field) => {
    const was = before ? formatValue(field, before[field]) : '';
    const is = after ? formatValue(field, after[field]) : '';
    return {
      field,
      label: fieldLabel(field),
      before: was,
      after: is,
      changed: !before || !after || JSON.stringify(before[field]) !== JSON.stringify(after[field]),
    };
  });
  return [...rows.filter((row) => row.changed), ...rows.filter((row) => !row.changed)];
}
