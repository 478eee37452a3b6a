// Each function deploys as the Supabase CLI bundles it: from its entrypoint and the deno.json beside it, never the
// repository's root deno.json. `deno bundle` with that configuration alone must resolve every import, stay under the
// hosted 20 MB limit, carry one version of each package, and use no API the hosted runtime lacks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../stack/tools.ts';

const HOSTED_BUNDLE_LIMIT_BYTES = 20 * 1024 * 1024;
/** Deno APIs a hosted Edge Function cannot use: no subprocesses, no writes to the file system. */
const UNAVAILABLE_ON_HOSTED =
  /\bDeno\.(Command|run|writeFile|writeTextFile|mkdir|remove|rename|makeTemp\w*|create|open)\s*\(/;

const functionNames = Array.from(Deno.readDirSync(join(PROJECT_ROOT, 'functions')))
  .filter((e) => e.isDirectory)
  .map((e) => e.name)
  .sort();
const rootImports: Record<string, string> = JSON.parse(
  await Deno.readTextFile(join(PROJECT_ROOT, 'deno.json')),
).imports;

async function denoJson(cmd: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: cmd, cwd: PROJECT_ROOT, env: { NO_COLOR: '1' } })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** npm package name of an `npm:` specifier or a `name@version` key. */
function packageName(spec: string): string {
  const bare = spec.replace(/^npm:\/?/, '');
  return bare.startsWith('@') ? `@${bare.slice(1).split('@')[0]}` : bare.split('@')[0];
}

for (const name of functionNames) {
  Deno.test(`bundle: ${name} builds from functions/${name}/deno.json alone, under 20 MB, for the hosted runtime`, async () => {
    const config = join('functions', name, 'deno.json');
    const entry = join('functions', name, 'index.ts');
    const imports: Record<string, string> = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, config))).imports;
    for (const [specifier, target] of Object.entries(imports)) {
      assert.equal(target, rootImports[specifier], `${specifier}: one pinned version, the root deno.json's`);
    }

    const folder = await Deno.makeTempDir({ prefix: `bundle-${name}-` });
    const output = join(folder, 'bundle.js');
    const bundled = await denoJson(['bundle', '--quiet', '--config', config, '--output', output, entry]);
    assert.equal(bundled.code, 0, `deno bundle failed:\n${bundled.stderr}`);
    const code = await Deno.readTextFile(output);
    await Deno.remove(folder, { recursive: true });
    const size = new TextEncoder().encode(code).length;
    console.log(`${name}: ${(size / 1024 / 1024).toFixed(2)} MB`);
    assert.ok(size < HOSTED_BUNDLE_LIMIT_BYTES, `${size} bytes`);
    const unavailable = code.match(UNAVAILABLE_ON_HOSTED);
    assert.equal(unavailable, null, `uses ${unavailable?.[0]}, which hosted functions cannot`);

    const info = await denoJson(['info', '--json', '--config', config, entry]);
    assert.equal(info.code, 0, info.stderr);
    const packages = Object.keys(JSON.parse(info.stdout).npmPackages ?? {});
    const versionsOf = new Map<string, Set<string>>();
    for (const key of packages) {
      const pkg = packageName(key);
      versionsOf.set(pkg, (versionsOf.get(pkg) ?? new Set()).add(key));
    }
    for (const [pkg, keys] of versionsOf) {
      if (pkg.startsWith('@aws-sdk/')) assert.equal(keys.size, 1, `${pkg} in several versions: ${[...keys]}`);
    }
    for (const target of Object.values(imports)) {
      assert.ok(versionsOf.has(packageName(target)), `${config} pins ${target}, which ${name} does not use`);
    }
  });
}
