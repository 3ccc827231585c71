// The bundle budget (docs/console.md): the build fails when the app's JavaScript or CSS, gzipped,
// outgrows it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = { js: 40 * 1024, css: 10 * 1024 };
const dir = join(process.env.CONSOLE_OUT_DIR ?? 'dist', 'assets');
const sizes = { js: 0, css: 0 };
for (const file of readdirSync(dir)) {
  const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : undefined;
  if (kind) sizes[kind] += gzipSync(readFileSync(join(dir, file))).length;
}
let over = false;
for (const kind of ['js', 'css']) {
  const line = `${kind}: ${(sizes[kind] / 1024).toFixed(1)} KiB gzipped (budget ${BUDGET[kind] / 1024} KiB)`;
  if (sizes[kind] > BUDGET[kind]) {
    console.error(`over budget — ${line}`);
    over = true;
  } else {
    console.log(line);
  }
}
process.exit(over ? 1 : 0);
