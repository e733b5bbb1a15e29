// The service health shape, aliased from the generated OpenAPI types.
import type { components } from "./generated/api";

/** `GET /api/v1/health`: status, version, database backend and queue. */
export type Health = components["schemas"]["HealthPublic"];
