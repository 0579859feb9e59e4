// Administration (/api/v1/admin): the routing table, Open311 API keys, the staff accounts.
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

export interface StaffUser {
  username: string;
  role: string;
  unit: string | null;
  name: string;
}

export interface StaffUsers {
  source: "dev-idp" | "cognito";
  users: StaffUser[];
}

export const routing = () => get<RoutingView>(`${BASE}/routing`);

/** Replaces every administrator's rule at once; the reply is the table in force. */
export const saveRouting = (rules: RoutingRule[]) => put<RoutingView>(`${BASE}/routing`, { rules });

/** The key comes back this once; the API keeps only its hash. */
export const createApiKey = (name: string) => post<{ name: string; api_key: string }>(`${BASE}/api-keys`, { name });

export const staffUsers = () => get<StaffUsers>(`${BASE}/users`);
