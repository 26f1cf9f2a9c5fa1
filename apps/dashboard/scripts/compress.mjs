// Writes a .gz beside every text asset of dist/, so the API can send them compressed (static.ts).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist');
const rows = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.(js|css|html|svg|json)$/.test(name)) {
      const raw = readFileSync(file);
      const gz = gzipSync(raw, { level: 9 });
      writeFileSync(`${file}.gz`, gz);
      rows.push([path.relative(dist, file), raw.length, gz.length]);
    }
  }
};
walk(dist);
rows.sort((a, b) => b[1] - a[1]);
let raw = 0;
let gz = 0;
for (const [name, r, g] of rows) {
  raw += r;
  gz += g;
  console.log(
    `${name.padEnd(44)} ${(r / 1024).toFixed(1).padStart(7)} kB  gzip ${(g / 1024).toFixed(1).padStart(6)} kB`,
  );
}
console.log(
  `${'total'.padEnd(44)} ${(raw / 1024).toFixed(1).padStart(7)} kB  gzip ${(gz / 1024).toFixed(1).padStart(6)} kB`,
);
