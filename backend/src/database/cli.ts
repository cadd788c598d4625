/**
 * Database commands, run from the compiled backend:
 *   node dist/database/cli.js run|revert|check|seed|default-rates|generate <Name>
 * `check` fails when the entities and the migrations disagree (CI runs it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { dropDatabase, ensureDatabaseExists } from './ensure-database';
import { seedDevelopmentData } from './seed';
import { installDefaultRateDeck } from '../modules/billing/rates.service';

/** TypeORM emits CREATE/DROP TYPE once per column using a shared enum; keep only the first of each. */
function withoutRepeatedTypeStatements<T extends { query: string }>(queries: T[]): T[] {
  const seen = new Set<string>();
  return queries.filter(({ query }) => {
    if (!/^(CREATE|DROP) TYPE /.test(query)) return true;
    if (seen.has(query)) return false;
    seen.add(query);
    return true;
  });
}

async function pendingSchemaChanges(dataSource: DataSource) {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: withoutRepeatedTypeStatements(sql.upQueries),
    down: withoutRepeatedTypeStatements(sql.downQueries),
  };
}

type SchemaQuery = { query: string; parameters?: unknown[] };

function migrationSource(className: string, up: SchemaQuery[], down: SchemaQuery[]): string {
  const quote = (query: string) => '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
  const lines = (queries: SchemaQuery[]) =>
    queries
      .map(({ query, parameters }) =>
        parameters?.length
          ? `    await queryRunner.query(${quote(query)}, ${JSON.stringify(parameters)});`
          : `    await queryRunner.query(${quote(query)});`,
      )
      .join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

/** `check` and `generate` compare against a scratch database built from the migrations alone. */
function scratchDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/switchboard_schema_check_${process.pid}_${Date.now()}`;
  return url.toString();
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  const usesScratch = command === 'check' || command === 'generate';
  const databaseUrl = usesScratch ? scratchDatabaseUrl(config.DATABASE_URL) : config.DATABASE_URL;
  await ensureDatabaseExists(databaseUrl);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        console.log(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
            : 'Database schema is up to date.',
        );
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        break;
      case 'check': {
        await dataSource.runMigrations({ transaction: 'each' });
        const { up } = await pendingSchemaChanges(dataSource);
        if (up.length > 0) {
          console.error('Entities and migrations disagree. Missing from the migrations:');
          for (const { query } of up) console.error(`  ${query};`);
          console.error('Run `npm run migration:generate -- <Name>` and commit the result.');
          process.exitCode = 1;
        } else {
          console.log('Migrations match the entities.');
        }
        break;
      }
      case 'generate': {
        if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
          throw new Error('Usage: npm run migration:generate -- <PascalCaseName>');
        }
        await dataSource.runMigrations({ transaction: 'each' });
        const { up, down } = await pendingSchemaChanges(dataSource);
        if (up.length === 0) {
          console.log('No changes: the migrations already match the entities.');
          break;
        }
        const timestamp = Date.now();
        const file = join(
          __dirname,
          '..',
          '..',
          'src',
          'database',
          'migrations',
          `${timestamp}-${name}.ts`,
        );
        writeFileSync(file, migrationSource(`${name}${timestamp}`, up, down.reverse()));
        console.log(`Wrote ${file}`);
        break;
      }
      case 'default-rates': {
        const written = await dataSource.transaction((manager) => installDefaultRateDeck(manager));
        console.log(
          written
            ? `Installed the sample default rate deck (${written} rates).`
            : 'A default rate deck exists already.',
        );
        break;
      }
      case 'seed': {
        if (config.isProduction) throw new Error('Refusing to seed a production database.');
        const seeded = await seedDevelopmentData(dataSource);
        console.log(seeded ? seeded : 'Database already has data: nothing seeded.');
        break;
      }
      default:
        throw new Error(
          `Unknown command "${command}". Use run, revert, check, generate, seed or default-rates.`,
        );
    }
  } finally {
    await dataSource.destroy();
    if (usesScratch) await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
