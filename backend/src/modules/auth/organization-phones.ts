import { BadRequestException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NormalizedPhone, normalizePhone } from '../../common/phone';
import { Organization } from './entities/organization.entity';

/**
 * Phone numbers read as an organization's people type them: national spellings in its default
 * country. Load it once per request (one query) and read as many numbers as needed.
 */
export class OrganizationPhones {
  private constructor(readonly defaultCountry: string) {}

  static async of(manager: EntityManager, organizationId: string): Promise<OrganizationPhones> {
    const organization = await manager
      .getRepository(Organization)
      .findOneOrFail({ where: { id: organizationId }, select: { id: true, defaultCountry: true } });
    return new OrganizationPhones(organization.defaultCountry);
  }

  /** E.164 and country, or null when it is not a valid number. */
  read(input: string): NormalizedPhone | null {
    return normalizePhone(input, this.defaultCountry);
  }

  /** As `read`, with a 400 naming the field (and showing a valid example) when it is not valid. */
  require(input: string, field: string, example = '+14155550100'): NormalizedPhone {
    const phone = this.read(input);
    if (!phone)
      throw new BadRequestException(`${field} must be a valid phone number, e.g. ${example}`);
    return phone;
  }
}
