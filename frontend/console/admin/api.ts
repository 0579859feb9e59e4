// Administration: the routing table and Open311 API keys (/api/v1/admin), staff accounts and
// their roles (identity's /api/v1/auth).
import { get, post, put } from "@shared/api";

const BASE = "/api/v1/admin";

/** An administrator's rule: this category in this ward goes to this unit. */
export interface RoutingRule {
  service_code: string;
  ward_code: string;
  unit: string;
}

export interface RoutingRuleView {
  service_code: string;
  ward_code: string | null; // null: the category's default in every ward
  unit: string;
  source: "catalogue" | "data" | "admin";
}

export interface RoutingView {
  version: string;
  rules: RoutingRuleView[];
}

/** A role an account holds; ``scope`` names the unit or ward of a unit or ward role. */
export interface Grant {
  role: string;
  scope: string | null;
}

export interface StaffUser {
  username: string;
  name: string;
  grants: Grant[];
  enabled: boolean;
  /** Created, and the first sign-in (new password, authenticator) is still to come. */
  must_change_password: boolean;
}

export interface NewStaff {
  username: string;
  name: string;
  email: string;
  phone?: string;
  grants: Grant[];
}

/** The temporary password comes back this once; nobody keeps it. */
export interface CreatedStaff {
  account: StaffUser;
  temporary_password: string;
  valid_days: number;
}

export interface StaffUsers {
  source: "dev-idp" | "cognito";
  users: StaffUser[];
}

interface Names {
  vi: string;
  en: string;
}

export interface RoleCatalogue {
  roles: { name: string; title: Names; scope: "city" | "unit" | "ward" | "own"; pool: string; permissions: string[] }[];
  permissions: { name: string; room: string; title: Names }[];
  units: { code: string; name: Names }[];
  wards: { code: string; name: Names }[];
}

export const routing = () => get<RoutingView>(`${BASE}/routing`);

/** Replaces every administrator's rule at once; the reply is the table in force. */
export const saveRouting = (rules: RoutingRule[]) => put<RoutingView>(`${BASE}/routing`, { rules });

/** The key comes back this once; the API keeps only its hash. */
export const createApiKey = (name: string) =>
  post<{ name: string; api_key: string; key_id: string }>(`${BASE}/api-keys`, { name });

export interface ApiKeyView {
  key_id: string;
  name: string;
  hint: string | null;
  created_datetime: string;
  created_by: string | null;
  active: boolean;
  revoked_datetime: string | null;
  revoked_by: string | null;
}

export const apiKeys = () => get<{ items: ApiKeyView[] }>(`${BASE}/api-keys`).then((r) => r.items);
export const revokeApiKey = (keyId: string) => post<ApiKeyView>(`${BASE}/api-keys/${keyId}/revoke`);

// Roles and staff are identity's (/api/v1/auth).
export const staffUsers = () => get<StaffUsers>("/api/v1/auth/staff");
export const roleCatalogue = () => get<RoleCatalogue>("/api/v1/auth/roles");
export const saveGrants = (username: string, grants: Grant[]) =>
  put<StaffUser>(`/api/v1/auth/staff/${encodeURIComponent(username)}/grants`, { grants });
export const createStaff = (account: NewStaff) => post<CreatedStaff>("/api/v1/auth/staff", account);
export type StaffAction = "disable" | "enable" | "mfa-reset" | "password-reset";
export const actOnStaff = (username: string, action: Exclude<StaffAction, "password-reset">) =>
  post<StaffUser>(`/api/v1/auth/staff/${encodeURIComponent(username)}/${action}`);
/** A new temporary password (a lost or expired one), shown once as at creation. */
export const resetStaffPassword = (username: string) =>
  post<CreatedStaff>(`/api/v1/auth/staff/${encodeURIComponent(username)}/password-reset`);

// The audit log is the platform's (/api/v1/audit): administrators and leaders read it.
export interface AuditEntry {
  id: string;
  datetime: string;
  actor: string;
  role: string | null;
  action: string;
  change: string | null;
  step: string | null;
  target: { room: string; kind: string; id: string };
  summary: Names;
  ip: string | null;
  forwarded_for: string | null;
  user_agent: string | null;
  route: string | null;
}

/** The filters of a search: the API's own names (``from`` and ``to`` are Vietnam days). */
export interface AuditFilters {
  q?: string;
  actor?: string;
  target?: string;
  action?: string;
  from?: string;
  to?: string;
}

export const auditLog = (filters: AuditFilters, cursor: string | null = null) =>
  get<{ items: AuditEntry[]; next_cursor: string | null }>("/api/v1/audit", { ...filters, cursor, limit: 50 });
