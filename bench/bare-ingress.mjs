// @ts-check
// The baseline of bench/webhook-ingress: a bare Fastify route that does only the same INSERT as
// Switchboard's ingress (no signature check, no parsing, no queue), on the same database.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
  done(null, body),
);
app.post('/api/webhooks/simulator', async (request, reply) => {
  const rows = await pool.query(
    `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body)
     VALUES ('simulator', $1, $2, $3, $4, $5) ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING id`,
    [
      request.headers['webhook-id'],
      request.url,
      JSON.stringify(request.headers),
      request.headers['content-type'],
      request.body,
    ],
  );
  return reply.send({ id: rows.rows[0]?.id ?? null, duplicate: rows.rowCount === 0 });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
