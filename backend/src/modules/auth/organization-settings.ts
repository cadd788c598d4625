import { EntityManager } from 'typeorm';
import { organizationTimeZone } from '../../common/time-zone';
import { Organization } from './entities/organization.entity';

/** What reads of an organization's figures need to know of it: its days and its money. */
export interface OrganizationSettings {
  /** IANA zone of its days (UTC until set). */
  timeZone: string;
  /** ISO 4217 code of its wallet. */
  currency: string;
}

export async function organizationSettings(
  manager: EntityManager,
  organizationId: string,
): Promise<OrganizationSettings> {
  const organization = await manager.getRepository(Organization).findOne({
    where: { id: organizationId },
    select: { id: true, timeZone: true, currency: true },
  });
  return {
    timeZone: organizationTimeZone(organization),
    currency: organization?.currency ?? 'USD',
  };
}
