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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
