import { readFileSync, readdirSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map';
const dir = process.argv[2];
const html = readFileSync(dir + '/index.html', 'utf8');
const { initialChunks } = await import('../frontend/scripts/bundle-size.mjs');
const sizes = {};
for (const main of initialChunks(dir).keys()) {
const map = JSON.parse(readFileSync(dir + '/' + main + '.map', 'utf8'));
await SourceMapConsumer.with(map, null, (c) => {
  let prev = null;
  c.eachMapping((m) => {
    if (prev && prev.generatedLine === m.generatedLine) {
      const k = prev.source || '?';
      sizes[k] = (sizes[k] || 0) + (m.generatedColumn - prev.generatedColumn);
    }
    prev = m;
  });
});
}
const agg = {};
for (const [k, v] of Object.entries(sizes)) {
  const key = process.env.RAW ? k.replace(/.*node_modules\//, "") : k.replace(/.*node_modules\/(@[^/]+\/[^/]+|[^/]+).*/, "nm:$1").replace(/^.*src\/app\//, "app/");
  agg[key] = (agg[key] || 0) + v;
}
for (const [k, v] of Object.entries(agg).sort((a, b) => b[1] - a[1]).slice(0, +process.argv[3] || 40)) console.log(String(v).padStart(8), k);
