/**
 * Tests that need an optional part `bash setup.sh` installs (Jupyter in .venv, Debian's Chromium, a Debian
 * data set): on a developer's machine without it they say why and skip; under CI=true it is a failure.
 */
import type { Context } from 'mocha';

/** Skips the test or suite (`this` of a mocha function) when `missing` names a missing part; under CI=true throws instead. */
export function needs(ctx: Context, missing: string | null): void {
  if (missing == null) return;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${missing}`);
  console.log(`      skipped: ${missing} (\`bash setup.sh\` installs it)`);
  ctx.skip();
}
