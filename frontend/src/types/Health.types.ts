// The service health shape, aliased from the generated OpenAPI types.
import type { components } from "./generated/api";

/** `GET /api/v1/health`: status, version, database backend, queue and upload limit (bytes). */
export type Health = components["schemas"]["HealthPublic"];
