// The staff side of the workflow API (/api/v1/workflow): the queue, one report, its actions.
import { ApiError, download, get, post, put, request, TABLE_TYPES, type TableFormat } from "@shared/api";
import {
  type CategoryView,
  categoryList,
  type HistoryItem,
  type Names,
  type StatusCode,
  type WardView,
  wards,
} from "@shared/field_reporting";

const BASE = "/api/v1/workflow";

// Who may read reports (the API's STAFF_READ): administrators keep the catalogue, routing and
// keys, not the reports, so their console links no report and starts elsewhere.
export const READERS = "field_reporting.reports.read";
// The routes' own lists: the desk inbox, and the log of messages sent to residents.
export const INBOX_READERS = "field_reporting.inbox.read";
export const LOG_READERS = "field_reporting.deliveries.read";
const ID = (id: string) => `${BASE}/reports/${encodeURIComponent(id)}`;

export interface Filters {
  q?: string; // a report number, a reporter's phone or words (any case, with or without marks)
  mine?: boolean; // only the reports the signed-in person works on
  status?: string; // one status, "all", or nothing: every open status (the API's default)
  ward?: string;
  category?: string;
  unit?: string;
  overdue?: boolean;
}

export interface UnitRef {
  code: string;
  name: Names;
}

export interface UnitView extends UnitRef {
  kind: string;
  ward_code: string | null;
}

export interface ClockView {
  clock: "verify" | "resolve";
  budget_hours: number;
  started_datetime: string;
  due_datetime: string;
  progress: number;
  paused: boolean;
  stopped_datetime: string | null;
  overdue: boolean;
}

interface Common {
  id: string;
  version: number;
  service: { code: string; name: Names };
  status: { code: StatusCode; label: Names; state: "open" | "closed" };
  ward: { code: string; name: Names };
  unit: UnitRef | null;
  assignee?: string | null; // who in the unit works on it (a staff username)
  description: string | null;
  lat: number;
  long: number;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  overdue: boolean;
  waiting_on_resident: boolean;
  transfers: number;
}

export interface QueueItem extends Common {
  clock: ClockView | null;
  photo_count: number;
}

export interface QueuePage {
  items: QueueItem[];
  next_cursor: string | null;
  total: number | null; // how many match in all pages
}

export interface ReportDetail extends Common {
  address: string | null;
  attributes: Record<string, string | string[]>;
  channel: string;
  closed_datetime: string | null;
  photos: string[];
  after_photos: string[];
  resolution_note: string | null;
  rejection_reason: string | null;
  clocks: ClockView[];
  reopened: number;
  merged_into: string | null;
  merged: string[];
  followers: number;
  ratings: { score: number; comment: string | null; at: string; follower: boolean }[];
  contact: {
    first_name: string | null;
    last_name: string | null;
    phone: string | null;
    email: string | null;
  } | null;
  history: HistoryItem[];
  allowed_actions: string[];
}

export const ALL_STATUSES = "received,verified,assigned,in_progress,resolved,reopened,rejected,withdrawn";

function filterQuery(filters: Filters) {
  return {
    q: filters.q?.trim() || undefined,
    status: filters.status === "all" ? ALL_STATUSES : filters.status,
    ward: filters.ward,
    category: filters.category,
    unit: filters.unit,
    overdue: filters.overdue ? "true" : undefined,
    assignee: filters.mine ? "me" : undefined,
  };
}

export function queue(filters: Filters, cursor?: string | null, limit = 25): Promise<QueuePage> {
  return get<QueuePage>(`${BASE}/reports`, { ...filterQuery(filters), limit, cursor });
}

/** Every report the filters match, as a file the browser saves. */
export function exportQueue(filters: Filters, format: TableFormat, lang: string): Promise<void> {
  const query = { ...filterQuery(filters), format, lang };
  return download(`${BASE}/reports/export`, query, TABLE_TYPES[format], `phan-anh.${format}`);
}

/** One move on several reports, one after another (each with the version the queue showed). */
export async function actOnEach(
  reports: { id: string; version: number }[],
  action: "verify" | "assign",
  body: Record<string, unknown>,
): Promise<{ done: string[]; failed: { id: string; error: unknown }[] }> {
  const done: string[] = [];
  const failed: { id: string; error: unknown }[] = [];
  for (const report of reports) {
    try {
      await post(`${ID(report.id)}/${action}`, { ...body, version: report.version });
      done.push(report.id);
    } catch (error) {
      failed.push({ id: report.id, error });
    }
  }
  return { done, failed };
}

export const reportDetail = (id: string) => get<ReportDetail>(ID(id));

export interface DuplicateCandidate {
  id: string;
  status: { code: StatusCode; label: Names };
  service: { code: string; name: Names };
  ward: { code: string; name: Names };
  distance_m: number;
  requested_datetime: string;
  description: string | null;
}

/** Open reports of the same category nearby and recent: what this one may duplicate. */
export const duplicates = (id: string) =>
  get<{ radius_m: number; window_hours: number; items: DuplicateCandidate[] }>(`${ID(id)}/duplicates`);

let unitCache: Promise<UnitView[]> | null = null;
export function units(): Promise<UnitView[]> {
  unitCache ??= get<{ units: UnitView[] }>(`${BASE}/units`).then((reply) => reply.units);
  unitCache.catch(() => (unitCache = null));
  return unitCache;
}

/** The names a page shows for codes: wards, categories, units (none if the role may not list them). */
export async function lookups(): Promise<{ wards: WardView[]; categories: CategoryView[]; units: UnitView[] }> {
  const [w, c, u] = await Promise.all([wards(), categoryList(), units().catch(() => [])]);
  return { wards: w.wards, categories: c, units: u };
}

/** A change names the version it was based on: a stale page gets a 409, not a lost update. */
export async function act(report: ReportDetail, action: string, body: Record<string, unknown>): Promise<ReportDetail> {
  const path = `${ID(report.id)}/${action.replace("_", "-")}`;
  const reply = await post<ReportDetail | MergeResult>(path, { ...body, version: report.version });
  // A merge answers with both reports; the page is the duplicate's.
  return "duplicate" in reply ? reply.duplicate : reply;
}

interface MergeResult {
  master: ReportDetail;
  duplicate: ReportDetail;
}

export function filtersFrom(params: URLSearchParams): Filters {
  return {
    q: params.get("q") ?? undefined,
    status: params.get("status") ?? undefined,
    ward: params.get("ward") ?? undefined,
    category: params.get("category") ?? undefined,
    unit: params.get("unit") ?? undefined,
    overdue: params.get("overdue") === "true",
    mine: params.get("mine") === "true",
  };
}

export function filtersTo(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === true) params.set(key, "true");
    else if (typeof value === "string" && value) params.set(key, value);
  }
  return params;
}

// Saved filters belong to the person signed in, kept by the API (/api/v1/me/saved-filters).
const SAVED = "/api/v1/me/saved-filters";
const savedPath = (name: string) => `${SAVED}/${encodeURIComponent(name)}`;

export interface SavedFilter {
  name: string;
  filters: Filters;
}

/** The filters as the API keeps them: only those set (it refuses empty values). */
function kept(filters: Filters): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === true || (typeof value === "string" && value.trim())) out[key] = value;
  }
  return out;
}

export async function savedFilters(): Promise<SavedFilter[]> {
  const reply = await get<{ items: { name: string; filters: Record<string, string | boolean | null> }[] }>(SAVED);
  return reply.items.map((item) => ({
    name: item.name,
    filters: Object.fromEntries(Object.entries(item.filters).filter(([, v]) => v !== null)) as Filters,
  }));
}

export const saveFilter = (name: string, filters: Filters) => put<unknown>(savedPath(name), { filters: kept(filters) });

/** Forget one; one already gone (a second click, another tab) is forgotten too. */
export async function forgetFilter(name: string): Promise<void> {
  try {
    await request<void>(savedPath(name), { method: "DELETE" });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

export interface UnitMember {
  username: string;
  name: string;
}

/** Who can be named on a report of the unit: its active staff (operators, or the unit itself). */
export const unitStaff = (unit: string) =>
  get<{ unit: string; members: UnitMember[] }>(`${BASE}/units/${encodeURIComponent(unit)}/staff`).then((r) => r.members);
