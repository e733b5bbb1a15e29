// "checked 3 min ago" in a <time> element whose title is the exact date; re-renders every
// 30 s so the relative time stays true while the page is open.
import { useEffect, useState } from "react";
import { checkedBy, timeAgo, type HealthSource } from "./checkedAgo";

const TICK_MS = 30_000;
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** The current time (ms since epoch), updated every `intervalMs`. */
export function useNow(intervalMs: number = TICK_MS): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface Props {
  /** ISO 8601 time the health was found. */
  at: string;
  /** What found it; shown after the time when given. */
  source?: HealthSource | null;
}

export function CheckedAgo({ at, source }: Props) {
  const now = useNow();
  return (
    <time dateTime={at} title={exact.format(new Date(at))}>
      checked {timeAgo(at, now)}
      {source !== undefined ? ` ${checkedBy(source)}` : ""}
    </time>
  );
}
