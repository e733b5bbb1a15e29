// `GET /api/v1/health`: the app bar's service indicator, and the server's upload limit.
import type { Health } from "../../types/Health.types";
import { api } from "./baseApi";

/** The server's default upload limit (`BINSCRIBE_MAX_UPLOAD_MB=100`), in bytes. */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export const healthApi = api.injectEndpoints({
  endpoints: (build) => ({
    getHealth: build.query<Health, void>({
      query: () => "/health",
      providesTags: ["Health"],
    }),
  }),
});

export const { useGetHealthQuery } = healthApi;

/**
 * The largest upload the server accepts, in bytes, from its health answer (`max_upload_bytes`);
 * `DEFAULT_MAX_UPLOAD_BYTES` while that answer is loading or when the server could not be asked.
 */
export function useMaxUploadBytes(): number {
  const { data } = useGetHealthQuery();
  return data?.max_upload_bytes ?? DEFAULT_MAX_UPLOAD_BYTES;
}
