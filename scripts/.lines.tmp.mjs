import { readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map';
const [dir, match] = process.argv.slice(2);
const { initialChunks } = await import('../frontend/scripts/bundle-size.mjs');
const lines = new Set();
for (const f of initialChunks(dir).keys()) {
  const map = JSON.parse(readFileSync(dir + '/' + f + '.map', 'utf8'));
  await SourceMapConsumer.with(map, null, (c) => c.eachMapping((m) => { if (m.source && m.source.includes(match)) lines.add(m.originalLine); }));
}
console.log([...lines].sort((a,b)=>a-b).join('\n'));
