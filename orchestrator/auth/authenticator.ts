/**
 * Who a request comes from. A bearer token is API_KEY (an admin), a stored key, or (with
 * AUTH_JWKS_URL) a JWT; anything else is 401. With no header, the caller is anonymous: let in
 * as an admin only on a service with no authentication at all (no API_KEY, no JWKS, no stored
 * key), which then listens on loopback unless ALLOW_UNAUTHENTICATED says otherwise.
 */
import type { Kysely } from "kysely";
import { countActiveApiKeys, type Database, findActiveApiKey } from "@app/db";
import { type Config, HttpError } from "@app/lib";
import { hashApiKey, secretsEqual } from "./api_keys.ts";
import { createJwtVerifier, type JwtVerifier, looksLikeJwt } from "./jwt.ts";
import { OPEN_PRINCIPAL, type Principal } from "./principal.ts";

/** The user API_KEY stands for. */
export const API_KEY_USER = "admin";

export const unauthorized = (message: string) =>
  new HttpError(401, "unauthorized", message, undefined, { "WWW-Authenticate": "Bearer" });

export class Authenticator {
  readonly #db: Kysely<Database>;
  readonly #apiKey?: string;
  readonly #jwt?: JwtVerifier;
  /** Whether stored keys exist, re-read now and then: `deno task keys` may add one. */
  #keysExist?: { at: number; value: Promise<boolean> };

  constructor(deps: { db: Kysely<Database>; config: Config }) {
    this.#db = deps.db;
    this.#apiKey = deps.config.API_KEY;
    if (deps.config.AUTH_JWKS_URL) {
      this.#jwt = createJwtVerifier({
        jwksUrl: deps.config.AUTH_JWKS_URL,
        issuer: deps.config.AUTH_ISSUER,
        audience: deps.config.AUTH_AUDIENCE,
        roleClaim: deps.config.AUTH_ROLE_CLAIM,
      });
    }
  }

  /** Whether API_KEY or a JWKS is configured (stored keys aside). */
  get configured(): boolean {
    return Boolean(this.#apiKey || this.#jwt);
  }

  /** Whether a caller must prove who they are. */
  async required(): Promise<boolean> {
    if (this.configured) return true;
    const now = Date.now();
    if (!this.#keysExist || now - this.#keysExist.at > 2_000) {
      const value = countActiveApiKeys(this.#db).then((n) => n > 0);
      this.#keysExist = { at: now, value };
      value.catch(() => (this.#keysExist = undefined));
    }
    return await this.#keysExist.value;
  }

  /** Keys were created or revoked here: look again next time. */
  keysChanged(): void {
    this.#keysExist = undefined;
  }

  /** The caller of a request with this Authorization header; throws 401. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined) {
      if (await this.required()) {
        throw unauthorized("this API needs the header Authorization: Bearer <key or token>");
      }
      return OPEN_PRINCIPAL;
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized("the Authorization header must be: Bearer <key or token>");
    const token = match[1];
    if (this.#apiKey && await secretsEqual(token, this.#apiKey)) {
      return { user_id: API_KEY_USER, role: "admin", via: "key" };
    }
    if (this.#jwt && looksLikeJwt(token)) {
      try {
        return await this.#jwt(token);
      } catch (error) {
        throw unauthorized(`the token was refused: ${(error as Error).message}`);
      }
    }
    const hash = await hashApiKey(token);
    const stored = await findActiveApiKey(this.#db, hash);
    // The lookup is by hash, so timing tells nothing about the key; compared again to be sure
    // the row is the one asked for.
    if (stored && await secretsEqual(hash, stored.key_hash)) {
      return { user_id: stored.user_id, role: stored.role, via: "key" };
    }
    throw unauthorized("unknown or revoked key");
  }
}
