// "checked 3 min ago": how long ago a provider's health was found, and by what. Pure functions
// (the clock is an argument) so tests need no fake timers; CheckedAgo.tsx renders and ticks.
import type { ProviderTestInfo } from "../../types/UserLLMProvider.types";

export type HealthSource = NonNullable<ProviderTestInfo["source"]>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "5 h ago", "2 days ago" for `iso` seen at `now` (ms since epoch). */
export function timeAgo(iso: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < 2 * DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return `${Math.floor(elapsed / DAY)} days ago`;
}

const BY: Record<HealthSource, string> = {
  test: "by a connection test",
  probe: "by an automatic check",
  job: "by an analysis job",
};

/** What found the health, as words after the time: "by an analysis job". */
export function checkedBy(source: HealthSource | null | undefined): string {
  return BY[source ?? "test"];
}
