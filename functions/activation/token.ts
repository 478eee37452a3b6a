// Invitation tokens as the database knows them: the token is 256 random bits as base64url text (made by the
// invitations function), and only sha256(utf8(token)) is stored, in private.invitation_tokens.token_hash.

/** sha256 of the token's UTF-8 bytes: the value of private.invitation_tokens.token_hash. */
export async function hashToken(token: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
}
