import { Organization } from '../modules/auth/entities/organization.entity';
import { User } from '../modules/auth/entities/user.entity';
import { CallEvent } from '../modules/calls/entities/call-event.entity';
import { Call } from '../modules/calls/entities/call.entity';
import { WebhookEvent } from '../modules/webhooks/entities/webhook-event.entity';

/** Every entity of the schema; migrations are generated from this list. */
export const ENTITIES = [Organization, User, Call, CallEvent, WebhookEvent];
