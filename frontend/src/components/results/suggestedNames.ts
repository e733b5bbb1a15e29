// The "Suggested names" view: on, names of explained functions are shown as the model suggests
// them (marked, the original one hover away). Kept in localStorage so it survives reloads and
// applies to every tab and job; every component reading it re-renders when it changes.
import { useCallback, useSyncExternalStore } from "react";

export const SUGGESTED_NAMES_KEY = "binscribe.suggestedNames";
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(SUGGESTED_NAMES_KEY) === "on";
  } catch {
    return false;
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** `[on, setOn]`: whether suggested names are shown. */
export function useSuggestedNames(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, read, () => false);
  const set = useCallback((next: boolean) => {
    try {
      localStorage.setItem(SUGGESTED_NAMES_KEY, next ? "on" : "off");
    } catch {
      // storage unavailable (private mode): the toggle still applies until the page reloads
    }
    for (const listener of listeners) listener();
  }, []);
  return [on, set];
}
