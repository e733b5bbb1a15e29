// A value that follows `value` once it has stopped changing for `delayMs` (search boxes send one
// request per pause in typing, not one per keystroke).
import { useEffect, useState } from "react";

export const SEARCH_DEBOUNCE_MS = 250;

export function useDebounced<T>(value: T, delayMs: number = SEARCH_DEBOUNCE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
