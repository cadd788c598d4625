import { Organization } from '../modules/auth/entities/organization.entity';
import { User } from '../modules/auth/entities/user.entity';

/** Every entity of the schema; migrations are generated from this list. */
export const ENTITIES = [Organization, User];
