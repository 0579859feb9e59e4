// Staff sign in with username, password and an authenticator code (MFA), as with Cognito.
import { sessionStore } from "@shared/session";

export const session = sessionStore("ioc.console.session");
const NOT_STAFF = ["resident"]; // residents use the app

export function isStaff(roles: string[]): boolean {
  return roles.some((role) => !NOT_STAFF.includes(role));
}

/** Whether the signed-in person holds ``permission`` (pages offer only what the API allows). */
export function useCan(permission: string): boolean {
  return (session.use()?.permissions ?? []).includes(permission);
}
