// Bundles the console into build/web-console/ at the repository root:
// index.html, console.js (one bundle), console.css, and sweden.geo.json (the
// country outline for the map, cut out of npm world-atlas at build time so
// the browser fetches a few kilobytes instead of the whole world).
// Usage: node build.mjs [--watch]
import { build, context } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.env.PLACEMENT_CONSOLE_OUT ?? resolve(here, '../../build/web-console');

// Natural Earth 1:10m via world-atlas; Sweden is ISO 3166-1 numeric 752.
async function writeSweden() {
  const topology = JSON.parse(
    await readFile(resolve(here, 'node_modules/world-atlas/countries-10m.json'), 'utf8'));
  const countries = feature(topology, topology.objects.countries);
  const sweden = countries.features.find((f) => f.id === '752');
  if (!sweden) throw new Error('world-atlas has no feature with id 752 (Sweden)');
  // Three decimals (about 100 m) is finer than the map can show.
  const round = (c) => (typeof c[0] === 'number'
    ? [Math.round(c[0] * 1000) / 1000, Math.round(c[1] * 1000) / 1000]
    : c.map(round));
  sweden.geometry.coordinates = round(sweden.geometry.coordinates);
  sweden.properties = { name: 'Sverige' };
  await writeFile(resolve(outdir, 'sweden.geo.json'), JSON.stringify(sweden));
}

const options = {
  entryPoints: [resolve(here, 'src/main.tsx'), resolve(here, 'src/styles.css')],
  bundle: true,
  outdir,
  entryNames: 'console',
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: process.argv.includes('--quiet') ? 'warning' : 'info',
};

await mkdir(outdir, { recursive: true });
await copyFile(resolve(here, 'index.html'), resolve(outdir, 'index.html'));
await writeSweden();
if (process.argv.includes('--watch')) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
