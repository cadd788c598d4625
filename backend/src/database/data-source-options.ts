import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

/** The one place that says how Switchboard talks to PostgreSQL: used by the app, the CLI and the tests. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto', // gen_random_uuid() is built into PostgreSQL 13+
    logging: false, // failed queries surface as errors, logged once by the caller
    extra: { max: 20, application_name: 'switchboard' },
  };
}
