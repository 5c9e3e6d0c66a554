// Writes a generated file, or (check mode) fails when the committed copy differs from what was generated.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

/**
 * `check` false: writes `text` to `target`. `check` true: exits 1 with `hint` when the committed file is
 * missing or differs. Exits the process either way (the generators keep timers alive).
 */
export function writeOrCheck({ target, text, check, root, source, command }) {
  const name = relative(root, target);
  if (!check) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    process.stdout.write(`wrote ${name}\n`);
    process.exit(0);
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: reported below
  }
  if (committed !== text) {
    process.stderr.write(
      `${name} is not what ${source} generates: run \`${command}\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${name} matches ${source}\n`);
  process.exit(0);
}
