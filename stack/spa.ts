// The reference SPA (examples/spa): its npm packages (npm ci, when the lock file is newer than node_modules) and a
// production build for one stack, with that stack's API URL and anon key (Vite reads VITE_* at build time).
import { join } from 'node:path';
import { type Log, PROJECT_ROOT, run } from './tools.ts';

export const SPA_DIR = join(PROJECT_ROOT, 'examples', 'spa');

async function mtime(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? null;
  } catch {
    return null;
  }
}

export async function buildSpa(
  opts: { outDir: string; supabaseUrl: string; anonKey: string; log: Log },
): Promise<void> {
  const lock = await mtime(join(SPA_DIR, 'package-lock.json'));
  const installed = await mtime(join(SPA_DIR, 'node_modules', '.package-lock.json'));
  if (installed === null || lock === null || installed < lock) {
    opts.log("installing the SPA's npm packages (npm ci in examples/spa)");
    await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: SPA_DIR });
  }
  const started = Date.now();
  await run(
    join(SPA_DIR, 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', opts.outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: SPA_DIR, env: { VITE_SUPABASE_URL: opts.supabaseUrl, VITE_SUPABASE_ANON_KEY: opts.anonKey } },
  );
  opts.log(`SPA built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
