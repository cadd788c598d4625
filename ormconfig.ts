// TypeORM CLI entry (`typeorm -d ormconfig.ts`): the same options the app uses.
// The npm scripts (`npm run migration:*`) compile the backend and use backend/src/database/cli.ts instead,
// because the TypeORM CLI needs ts-node to load TypeScript.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './backend/src/database/data-source-options';

export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchboard'),
);
