// What a provider card shows, derived in one place so it never contradicts itself: while a test
// runs, neither the old health nor an old answer; afterwards, the stored health (the server's
// `last_test`), with this page's test answer only when it is that stored result.
import type { ProviderTestOutcome, ProviderTestState } from "../../store/slices/userLLMProvidersSlice";
import type { ProviderTestInfo, UserLLMProvider } from "../../types/UserLLMProvider.types";

export type CardHealth =
  | { kind: "testing" }
  | { kind: "untested" }
  | { kind: "checked"; lastTest: ProviderTestInfo };

export interface CardView {
  health: CardHealth;
  /** This page's test answer, when it is the stored health (its details: latency, message). */
  answer: ProviderTestOutcome | null;
  /** A test request that failed before anything was stored (HTTP error, network). */
  requestError: ProviderTestOutcome | null;
}

function sameTime(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

export function cardView(provider: UserLLMProvider, test: ProviderTestState | undefined): CardView {
  if (test?.running) return { health: { kind: "testing" }, answer: null, requestError: null };
  const lastTest = provider.last_test;
  const outcome = test?.outcome ?? null;
  const stored = outcome?.testedAt ?? null;
  return {
    health: lastTest ? { kind: "checked", lastTest } : { kind: "untested" },
    answer: outcome && stored && lastTest && sameTime(stored, lastTest.tested_at) ? outcome : null,
    requestError: outcome && stored === null ? outcome : null,
  };
}
