// The resident's account: my reports (signed in by phone), rating, disputing, withdrawing.
import { get, post } from "@shared/api";
import type { HistoryItem, Names, StatusCode } from "@shared/field_reporting";
import { sessionStore } from "@shared/session";

export const session = sessionStore("ioc.app.session");

// Reports sent from this device, so a resident who has not signed in can still follow them.
const SENT_KEY = "ioc.app.sent";

export function sentHere(): string[] {
  try {
    return JSON.parse(localStorage.getItem(SENT_KEY) ?? "[]") as string[];
  } catch {
    return [];
  }
}

export function rememberSent(id: string): void {
  const ids = [id, ...sentHere().filter((known) => known !== id)].slice(0, 50);
  localStorage.setItem(SENT_KEY, JSON.stringify(ids));
}

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

/** A change names the version it was based on (the API answers 409 to a stale one). */
export const change = (report: MyReportDetail, action: string, body: Record<string, unknown>) =>
  post<MyReportDetail>(`${one(report.id)}/${action}`, { ...body, version: report.version });
