/**
 * Tokens from the user's own identity provider: a JWT signed by a key of `AUTH_JWKS_URL`, with
 * the configured issuer and audience, verified by `jose`. The user is its `sub`; the role
 * claim (a dotted path, a string or a list) makes an admin when it holds "admin".
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import type { Principal } from "./principal.ts";

/** Only signatures by a key pair: never `none`, never a shared secret. */
const ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

export interface JwtOptions {
  jwksUrl: string;
  issuer?: string;
  audience?: string;
  roleClaim: string;
}

export type JwtVerifier = (token: string) => Promise<Principal>;

/** Whether a bearer token is shaped as a JWS (three base64url parts). */
export const looksLikeJwt = (token: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split(".")) {
    value = value && typeof value === "object"
      ? (value as Record<string, unknown>)[part]
      : undefined;
  }
  return value;
}

/** A verifier; it throws (jose's errors) on any token that is not valid. */
export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ALGORITHMS,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "exp"],
    });
    const role = claimAt(payload, options.roleClaim);
    const admin = Array.isArray(role) ? role.includes("admin") : role === "admin";
    return { user_id: payload.sub!, role: admin ? "admin" : "user", via: "jwt" };
  };
}
