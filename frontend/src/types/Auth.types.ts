// Sign-in and personal API token shapes, aliased from the generated OpenAPI types.
import type { components } from "./generated/api";

/** `GET /api/v1/auth/session`: the instance's sign-in mode and who the caller is. */
export type AuthSession = components["schemas"]["AuthSessionPublic"];
/** `local` (no users: nothing to sign in to), `token` (the server's API token), `accounts`. */
export type AuthMode = components["schemas"]["AuthMode"];
export type Principal = components["schemas"]["PrincipalPublic"];
export type LoginRequest = components["schemas"]["LoginRequest"];
export type ApiToken = components["schemas"]["TokenPublic"];
export type ApiTokens = components["schemas"]["TokensPublic"];
/** A token just created: `token` is shown this once. */
export type ApiTokenCreated = components["schemas"]["TokenCreated"];
