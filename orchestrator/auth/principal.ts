/** Who is calling: the authenticated user and their role, as every route and the policy see it. */
import type { Context } from "hono";
import type { Role } from "@app/db";

export interface Principal {
  user_id: string;
  role: Role;
  /** How they proved it: a stored key (or API_KEY), a JWT, or nothing on an open service. */
  via: "key" | "jwt" | "open";
}

/** The caller on a service with no authentication configured: may do everything. */
export const OPEN_PRINCIPAL: Principal = { user_id: "anonymous", role: "admin", via: "open" };

declare module "hono" {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The request's caller, set by the authentication middleware. */
export function principalOf(c: Context): Principal {
  return c.get("principal") ?? OPEN_PRINCIPAL;
}
