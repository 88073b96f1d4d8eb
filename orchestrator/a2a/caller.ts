/** The API's caller carried into the A2A SDK: its stores scope tasks by the user's name. */
import type { ServerCallContext, User } from "@a2a-js/sdk/server";
import { OPEN_PRINCIPAL, type Principal } from "../auth/principal.ts";

export class PrincipalUser implements User {
  constructor(readonly principal: Principal) {}
  get isAuthenticated(): boolean {
    return this.principal.via !== "open";
  }
  get userName(): string {
    return this.principal.user_id;
  }
}

export function principalOfCall(context: ServerCallContext | undefined): Principal {
  const user = context?.user;
  return user instanceof PrincipalUser ? user.principal : OPEN_PRINCIPAL;
}
