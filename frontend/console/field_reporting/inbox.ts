// The desk's inbox (/api/v1/workflow/notifications) and the log of messages residents were
// sent; and the desk's unread count, one store shared by the inbox page and the nav badge.
import { get, post } from "@shared/api";
import type { Names, StatusCode } from "@shared/field_reporting";
import { useEffect, useState } from "preact/hooks";

const BASE = "/api/v1/workflow/notifications";
export const PAGE_SIZE = 50;
const POLL_MS = 60_000;

export interface StaffNotification {
  id: string;
  report_id: string | null; // null for a camera page (the operators' desk)
  incident_id?: string | null; // a camera page: the incident to verify and dispatch
  task_id?: string | null; // a provincial directive's task
  kind: string;
  title: Names;
  body: Names | null; // only what the title does not say
  status: StatusCode | null;
  created_datetime: string;
  due_datetime: string | null; // SLA warnings: the clock's due time
  read: boolean;
}

export interface NotificationPage {
  items: StaffNotification[];
  next_cursor: string | null;
  unread: number;
}

export interface MarkedRead {
  marked: number;
  unread: number;
}

export interface Delivery {
  at: string;
  channel: "sms" | "push" | "log";
  to: string;
  text: string;
  report_id: string;
}

export const staffInbox = (cursor?: string | null, unreadOnly = false) =>
  get<NotificationPage>(BASE, { limit: PAGE_SIZE, cursor, unread: unreadOnly ? "true" : undefined }).then(counted);

export const markRead = (id: string) => post<MarkedRead>(`${BASE}/${encodeURIComponent(id)}/read`).then(counted);

export const markAllRead = () => post<MarkedRead>(`${BASE}/read-all`).then(counted);

export const deliveryLog = () => get<{ items: Delivery[] }>("/api/v1/notifications/log").then((r) => r.items);

// -- the unread count: every reply that carries it updates the badge ---------------------------

let unread: number | null = null;
const listeners = new Set<(n: number | null) => void>();

export function setUnread(n: number): void {
  unread = n;
  for (const listener of listeners) listener(n);
}

function counted<T extends { unread: number }>(reply: T): T {
  setUnread(reply.unread);
  return reply;
}

export function refreshUnread(): Promise<void> {
  return get<{ unread: number }>(`${BASE}/unread-count`).then(
    (reply) => setUnread(reply.unread),
    () => undefined, // a missed poll: the next one, or the next focus, tries again
  );
}

/** The desk's unread count, kept fresh: on mount, every minute, and when the tab is back. */
export function useUnread(): number | null {
  const [n, setN] = useState(unread);
  useEffect(() => {
    listeners.add(setN);
    void refreshUnread();
    const timer = window.setInterval(() => void refreshUnread(), POLL_MS);
    const onFocus = () => void refreshUnread();
    const onVisible = () => document.visibilityState === "visible" && void refreshUnread();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      listeners.delete(setN);
      window.clearInterval(timer);
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  return n;
}
