// `deno task dev`: the whole local stack on the Supabase CLI's ports, until Ctrl-C.
// `deno task db:reset`: wipe the dev database, migrate and seed it again, and exit.
import { join } from 'node:path';
import { DEV_PORTS, startStack, statusText } from './stack.ts';
import { LOCAL_DIR } from './tools.ts';

const resetOnly = Deno.args.includes('--reset-only');
const log = (line: string) => console.log(`[dev] ${line}`);

let stack;
try {
  stack = await startStack({
    // DEV_DATA_DIR: another data folder (the tests of `deno task dev` use a fresh one); the default keeps its data.
    dataDir: Deno.env.get('DEV_DATA_DIR') || join(LOCAL_DIR, 'dev'),
    ports: DEV_PORTS,
    log,
    throwaway: false,
    reset: resetOnly,
    scheduleJobs: !resetOnly,
  });
} catch (e) {
  console.error(`[dev] ${(e as Error).message}`);
  Deno.exit(1);
}

if (resetOnly) {
  await stack.stop();
  log('database reset: migrations and seed applied');
  Deno.exit(0);
}

console.log(`\n${statusText(stack)}\n`);
log('running; Ctrl-C stops every service');

const shutdown = async (code: number) => {
  await stack.stop();
  Deno.exit(code);
};
Deno.addSignalListener('SIGINT', () => {
  log('stopping every service');
  shutdown(0);
});
Deno.addSignalListener('SIGTERM', () => shutdown(0));

const death = await stack.died;
console.error(`[dev] service "${death.service}" stopped unexpectedly; stopping the others.\n${death.logTail}`);
await shutdown(1);
