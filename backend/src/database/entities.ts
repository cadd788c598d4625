import { Organization } from '../modules/auth/entities/organization.entity';
import { User } from '../modules/auth/entities/user.entity';
import { UserSetupToken } from '../modules/auth/entities/user-setup-token.entity';
import { CallEvent } from '../modules/calls/entities/call-event.entity';
import { Call } from '../modules/calls/entities/call.entity';
import { WebhookEvent } from '../modules/webhooks/entities/webhook-event.entity';
import { Rate } from '../modules/billing/entities/rate.entity';
import { PricePlan } from '../modules/billing/entities/price-plan.entity';
import { LedgerAccount } from '../modules/wallet/entities/ledger-account.entity';
import { LedgerEntry } from '../modules/wallet/entities/ledger-entry.entity';
import { LedgerTransaction } from '../modules/wallet/entities/ledger-transaction.entity';
import { Wallet } from '../modules/wallet/entities/wallet.entity';
import { Contact } from '../modules/contacts/entities/contact.entity';
import { ContactImport } from '../modules/contacts/entities/contact-import.entity';
import { ContactImportProblem } from '../modules/contacts/entities/contact-import-problem.entity';
import { CallerId } from '../modules/calls/entities/caller-id.entity';
import { DncNumber } from '../modules/dnc/entities/dnc-number.entity';
import { DncRefusal } from '../modules/dnc/entities/dnc-refusal.entity';
import { Campaign } from '../modules/campaigns/entities/campaign.entity';
import { CampaignContact } from '../modules/campaigns/entities/campaign-contact.entity';
import { CampaignAttempt } from '../modules/campaigns/entities/campaign-attempt.entity';
import { Payment } from '../modules/payments/entities/payment.entity';
import { AuditEntry } from '../modules/audit/entities/audit-entry.entity';
import { ApiKey } from '../modules/api-keys/entities/api-key.entity';
import { WebhookEndpoint } from '../modules/outbound-webhooks/entities/webhook-endpoint.entity';
import { WebhookDelivery } from '../modules/outbound-webhooks/entities/webhook-delivery.entity';
import { WebhookDeliveryAttempt } from '../modules/outbound-webhooks/entities/webhook-delivery-attempt.entity';

/** Every entity of the schema; migrations are generated from this list. */
export const ENTITIES = [
  Organization,
  User,
  UserSetupToken,
  Call,
  CallEvent,
  WebhookEvent,
  PricePlan,
  Rate,
  LedgerAccount,
  Wallet,
  LedgerTransaction,
  LedgerEntry,
  Contact,
  CallerId,
  ContactImport,
  ContactImportProblem,
  DncNumber,
  DncRefusal,
  Campaign,
  CampaignContact,
  CampaignAttempt,
  Payment,
  AuditEntry,
  ApiKey,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryAttempt,
];
