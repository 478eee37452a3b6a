// The one Supabase client of the app, typed with the project's generated database types
// (shared/database.types.ts, `deno task types`), so every table, column and RPC below is checked by the compiler.
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../../../shared/database.types.ts';

export type { Database };
export type Tables<T extends keyof Database['public']['Tables']> = Database['public']['Tables'][T]['Row'];

export const SUPABASE_URL = import.meta.env.VITE_SUPABASE_URL;
export const SUPABASE_ANON_KEY = import.meta.env.VITE_SUPABASE_ANON_KEY;
if (!SUPABASE_URL || !SUPABASE_ANON_KEY) {
  throw new Error(
    'Set VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY (`deno task dev` prints both)',
  );
}

export const supabase = createClient<Database>(SUPABASE_URL, SUPABASE_ANON_KEY);
