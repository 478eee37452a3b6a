// The project's password rule, enforced here because GoTrue's admin API only checks the minimum length (and hosted
// projects may not even set that). Sign-up through the Auth API gets GoTrue's own check (minimum length only).
//
//   - at least MIN_PASSWORD_LENGTH characters (Unicode code points): the same number as [auth]
//     minimum_password_length in supabase/config.toml (a unit test keeps them equal);
//   - at most 72 bytes of UTF-8: bcrypt ignores everything after byte 72, and GoTrue refuses longer passwords;
//   - at least one letter and at least one digit (any script: é, ß, and ٣ count).

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_BYTES = 72;

export type PasswordProblem = 'too_short' | 'too_long' | 'needs_letter' | 'needs_digit';

/** What is wrong with a password under the project's rule; empty when it is acceptable. */
export function passwordProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) problems.push('too_long');
  if (!/\p{L}/u.test(password)) problems.push('needs_letter');
  if (!/\p{Nd}/u.test(password)) problems.push('needs_digit');
  return problems;
}

/** One sentence for people, naming every unmet requirement. */
export function describePasswordProblems(problems: PasswordProblem[]): string {
  const parts: Record<PasswordProblem, string> = {
    too_short: `at least ${MIN_PASSWORD_LENGTH} characters`,
    too_long: `at most ${MAX_PASSWORD_BYTES} bytes`,
    needs_letter: 'a letter',
    needs_digit: 'a digit',
  };
  return `The password needs ${problems.map((p) => parts[p]).join(', ')}.`;
}
