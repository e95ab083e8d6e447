// Prints the first page's weight: the JS and CSS that dist/index.html loads
// (scripts, stylesheets, modulepreloads), raw and gzipped. Fails above 200 KB gz.
// BENCH_TSV=FILE also appends the gzipped weight against the limit to FILE, a
// row of bench/tsv.sh's columns.
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0, gz = 0;
for (const ref of new Set(refs)) {
  const buf = readFileSync(join(dist, ref));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`page weight (first page JS+CSS, ${new Set(refs).size} files): ${kb(raw)} KB raw, ${kb(gz)} KB gzipped (limit 200 KB)`);
let allRaw = 0, allGz = 0, n = 0;
for (const f of readdirSync(join(dist, 'assets'))) {
  if (!/\.(js|css)$/.test(f)) continue;
  const buf = readFileSync(join(dist, 'assets', f));
  allRaw += buf.length;
  allGz += gzipSync(buf, { level: 9 }).length;
  n++;
}
console.log(`all pages together (${n} JS+CSS files, loaded on demand): ${kb(allRaw)} KB raw, ${kb(allGz)} KB gzipped`);
if (process.env.BENCH_TSV) {
  const row = ['web', `first page JS+CSS (${new Set(refs).size} files; ${kb(raw)} KB raw)`, kb(gz), 'KB gzipped',
    'limit (a budget, not a measurement)', '200', (gz / (200 * 1024)).toFixed(2), '<= 200 KB'];
  appendFileSync(process.env.BENCH_TSV, `${row.join('\t')}\n`);
}
if (gz > 200 * 1024) {
  console.error('page weight above 200 KB gzipped');
  process.exit(1);
}
