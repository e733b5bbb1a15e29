// Hands an API key from a form to the request that sends it without the key entering Redux.
//
// RTK Query keeps every mutation's arguments in the store, so mutations take an opaque reference
// (`secret:3`) instead of the key. The key waits in this module's memory until the request is
// built, which claims (and forgets) it. Nothing here touches localStorage or sessionStorage.

const pending = new Map<string, string>();
let counter = 0;

/** Keep `secret` in memory and return an opaque reference to pass as a mutation argument. */
export function handOffSecret(secret: string): string {
  counter += 1;
  const ref = `secret:${counter}`;
  pending.set(ref, secret);
  return ref;
}

/** The secret behind `ref`, removed from memory; undefined when absent or already claimed. */
export function claimSecret(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const secret = pending.get(ref);
  pending.delete(ref);
  return secret;
}
