import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** ISO 3166 alpha-2 country used to read national phone numbers. */
  @Column({ name: 'default_country', type: 'char', length: 2, default: 'US' })
  defaultCountry: string;

  /** ISO 4217 currency of the organization's wallet. */
  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  /**
   * IANA time zone that defines the organization's days ("today", billing days) and the times the
   * console shows. Null until the owner sets it or first signs in (then the browser's zone); read
   * as UTC meanwhile (see organizationTimeZone).
   */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
