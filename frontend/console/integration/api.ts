// The province's subscriptions (/api/v1/integration/subscriptions): administrators only.
import { get, post, request } from "@shared/api";

const BASE = "/api/v1/integration/subscriptions";

export interface SubscriptionView {
  id: string;
  url: string;
  types: string[];
  wards: string[];
  description: string;
  status: "active" | "paused" | "disabled";
  disabled_reason: "gone" | "failing" | null;
  disabled_at: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  last_success_at: string | null;
  failing_since: string | null;
  secrets: { created_at: string; expires_at: string | null }[];
}

/** The secret comes back this once (creation, rotation); no other reply holds it. */
export interface WithSecret {
  subscription: SubscriptionView;
  secret: string;
}

export interface NewSubscription {
  url: string;
  types: string[];
  wards: string[];
  description: string;
}

export interface AttemptView {
  event_id: string;
  event_type: string;
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  response_head: string;
  error: string | null;
  outcome: string;
}

export interface ParkedView {
  event_id: string;
  event_type: string;
  entity: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  parked_at: string;
  redriven: number;
}

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const subscriptions = () => get<{ items: SubscriptionView[] }>(BASE).then((r) => r.items);
export const subscription = (id: string) => get<SubscriptionView>(`${BASE}/${id}`);
/** ``key``: made once per request, sent again with its retries (a lost answer makes no second one). */
export const createSubscription = (body: NewSubscription, key: string) =>
  post<WithSecret>(BASE, body, { "Idempotency-Key": key });
export const rotateSecret = (id: string) => post<WithSecret>(`${BASE}/${id}/rotate-secret`);
export const pause = (id: string) => post<SubscriptionView>(`${BASE}/${id}/pause`);
export const resume = (id: string) => post<SubscriptionView>(`${BASE}/${id}/resume`);
export const remove = (id: string) => request<void>(`${BASE}/${id}`, { method: "DELETE" });
export const attempts = (id: string, cursor?: string) =>
  get<Page<AttemptView>>(`${BASE}/${id}/attempts`, cursor ? { cursor, limit: 50 } : { limit: 50 });
export const parked = (id: string) => get<Page<ParkedView>>(`${BASE}/${id}/parked`, { limit: 200 });
export const redrive = (id: string) => post<{ redriven: number }>(`${BASE}/${id}/redrive`);
