// The resident's account: my reports (signed in by phone), rating, disputing, withdrawing.
import { get, post } from "@shared/api";
import type { HistoryItem, Names, StatusCode } from "@shared/field_reporting";
import { sessionStore } from "@shared/session";

export const session = sessionStore("ioc.app.session");

// Reports sent from this device, so a resident who has not signed in can still follow them;
// and those followed from here (the account lists what it follows too: /me/follows).
const SENT_KEY = "ioc.app.sent";
const FOLLOWED_KEY = "ioc.app.followed";

function remembered(key: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "[]") as string[];
  } catch {
    return [];
  }
}

function remember(key: string, id: string): void {
  const ids = [id, ...remembered(key).filter((known) => known !== id)].slice(0, 50);
  localStorage.setItem(key, JSON.stringify(ids));
}

export const sentHere = () => remembered(SENT_KEY);
export const followedHere = () => remembered(FOLLOWED_KEY);
export const rememberSent = (id: string) => remember(SENT_KEY, id);

/** +84 or 0, then a Vietnamese mobile prefix and 7 digits. */
export const MOBILE = /^((\+?84)|0)(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}$/;

export function normalisePhone(raw: string): string {
  return raw.replace(/[\s.-]/g, "");
}

export interface MyReportItem {
  id: string;
  version: number;
  service: { code: string; name: Names };
  status: { code: StatusCode; label: Names; state: "open" | "closed" };
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  following: boolean;
  allowed_actions: string[];
}

export interface MyReportDetail extends Omit<MyReportItem, "following"> {
  ward: { code: string; name: Names };
  description: string | null;
  lat: number;
  long: number;
  closed_datetime: string | null;
  photos: string[];
  after_photos: string[];
  resolution_note: string | null;
  rejection_reason: string | null;
  waiting_on_resident: boolean;
  question: string | null;
  merged_into: string | null;
  my_rating: { score: number; comment: string | null; at: string } | null;
  history: HistoryItem[];
}

const MINE = "/api/v1/me/reports";
const one = (id: string) => `${MINE}/${encodeURIComponent(id)}`;

export async function myReports(): Promise<MyReportItem[]> {
  const reply = await get<{ items: MyReportItem[]; next_cursor: string | null }>(MINE, { limit: 50 });
  return reply.items;
}

export const myReport = (id: string) => get<MyReportDetail>(one(id));

/** The reports the account follows (someone else's), from any device: the latest followed first. */
export async function myFollows(): Promise<MyReportItem[]> {
  return (await get<{ items: MyReportItem[] }>("/api/v1/me/follows", { limit: 50 })).items;
}

/** A change names the version it was based on (the API answers 409 to a stale one). */
export const change = (report: MyReportDetail, action: string, body: Record<string, unknown>) =>
  post<MyReportDetail>(`${one(report.id)}/${action}`, { ...body, version: report.version });

/** Follow someone else's open report instead of sending the same problem (idempotent). */
export async function follow(id: string): Promise<MyReportDetail> {
  const followed = await post<MyReportDetail>(`/api/v1/reports/${encodeURIComponent(id)}/follow`);
  remember(FOLLOWED_KEY, followed.id);
  return followed;
}

// -- the inbox -------------------------------------------------------------------------------

export interface NotificationItem {
  id: string;
  report_id: string;
  kind: string;
  title: Names;
  body: Names | null;
  status: StatusCode | null;
  created_datetime: string;
  due_datetime: string | null;
  read: boolean;
}

export interface NotificationPage {
  items: NotificationItem[];
  next_cursor: string | null;
  unread: number;
}

const INBOX = "/api/v1/me/notifications";

export const notifications = (cursor: string | null = null) =>
  get<NotificationPage>(INBOX, { limit: 20, cursor });
export const markRead = (id: string) =>
  post<{ marked: number; unread: number }>(`${INBOX}/${encodeURIComponent(id)}/read`);
export const markAllRead = () => post<{ marked: number; unread: number }>(`${INBOX}/read-all`);

// The unread count, for the badge in the navigation: read on each page and every minute.
const unreadListeners = new Set<(n: number) => void>();
let unreadNow = 0;

export function setUnread(n: number): void {
  unreadNow = n;
  for (const listener of unreadListeners) listener(n);
}

export async function refreshUnread(): Promise<void> {
  if (!session.get()) return setUnread(0);
  try {
    setUnread((await get<NotificationPage>(INBOX, { limit: 1, unread: "true" })).unread);
  } catch {
    // Offline or signed out meanwhile: the badge keeps its last count.
  }
}

export function onUnread(listener: (n: number) => void): () => void {
  unreadListeners.add(listener);
  listener(unreadNow);
  return () => void unreadListeners.delete(listener);
}
