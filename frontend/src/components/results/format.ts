// Small formatting helpers for the results views.

/** `4198773` -> `"0x401175"`. */
export function hex(address: number): string {
  return `0x${address.toString(16)}`;
}

/** A USD amount with enough digits for fractions of a cent; "unknown" for null. */
export function usd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return "unknown";
  return `$${amount < 0.01 ? amount.toFixed(4) : amount.toFixed(2)}`;
}
