// Live progress of one job from its server-sent events (`GET /api/v1/jobs/{id}/events`):
// `progress` events carry the job (JobPublic), `end` closes the stream. EventSource cannot send
// the bearer token, so with a token set (or without EventSource) callers poll instead.
import { useEffect, useState } from "react";
import { useAppDispatch, useAppSelector } from "../../store/hooks";
import type { JobPublic } from "../../types/Job.types";
import { eventsUrl, jobsApi } from "./jobsApi";

/** True when this browser session can follow jobs by server-sent events. */
export function useCanStream(): boolean {
  const token = useAppSelector((state) => state.auth.token);
  return typeof EventSource !== "undefined" && !token;
}

/**
 * Follow job `jobId` while `enabled`: returns the latest job the stream sent (null before the
 * first event) and `failed` once the stream broke (the caller should then poll). When the
 * stream ends, the job and the jobs list are refetched so the cache holds the final state.
 */
export function useJobEvents(jobId: string, enabled: boolean) {
  const dispatch = useAppDispatch();
  const [job, setJob] = useState<JobPublic | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!enabled) return undefined;
    const source = new EventSource(eventsUrl(jobId));
    source.addEventListener("progress", (event) => {
      setJob(JSON.parse((event as MessageEvent<string>).data) as JobPublic);
    });
    source.addEventListener("end", () => {
      source.close();
      dispatch(jobsApi.util.invalidateTags([{ type: "Job", id: jobId }, { type: "Job", id: "LIST" }]));
    });
    source.onerror = () => {
      source.close();
      setFailed(true);
    };
    return () => source.close();
  }, [jobId, enabled, dispatch]);

  return { job, failed };
}
