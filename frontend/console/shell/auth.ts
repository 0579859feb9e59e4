// Staff sign in with username, password and an authenticator code (MFA), as with Cognito.
import { sessionStore } from "@shared/session";

export const session = sessionStore("ioc.console.session");
export const STAFF_ROLES = ["operator", "unit_staff", "leader", "admin", "provincial"];

export function isStaff(roles: string[]): boolean {
  return roles.some((role) => STAFF_ROLES.includes(role));
}

/** Whether the signed-in person holds one of ``roles`` (pages offer only what the API allows). */
export function useAnyRole(roles: string[]): boolean {
  const mine = session.use()?.roles ?? [];
  return roles.some((role) => mine.includes(role));
}
