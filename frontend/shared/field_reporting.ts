// The Field Reporting mobile API (/api/v1): its wire types, as /api/v1/openapi.json describes them.
import { get, post, sendToStorage, type UploadTicket } from "./api";
import { getLang, t } from "./i18n";

export interface Names {
  vi: string;
  en: string;
}

export type StatusCode =
  | "received"
  | "verified"
  | "rejected"
  | "assigned"
  | "in_progress"
  | "resolved"
  | "reopened"
  | "withdrawn";

export const STATUSES: StatusCode[] = [
  "received",
  "verified",
  "assigned",
  "in_progress",
  "resolved",
  "reopened",
  "rejected",
  "withdrawn",
];

/** A step of a report's history; staff and the reporter see who did it and why. */
export interface HistoryItem {
  status: StatusCode;
  label: Names;
  at: string;
  note: string | null;
  action?: string | null;
  actor?: string | null;
  role?: string | null;
  reason?: string | null;
  unit?: { code: string; name: Names } | null;
  assignee?: string | null;
  photo_url?: string | null;
}

export interface TrackingView {
  id: string;
  service: { code: string; name: Names };
  status: { code: StatusCode; label: Names; state: "open" | "closed" };
  description: string | null;
  ward: { code: string; name: Names };
  lat: number;
  long: number;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  closed_datetime: string | null;
  photos: string[];
  after_photos: string[];
  history: HistoryItem[];
  rating: { score: number; comment?: string | null } | null;
  [extra: string]: unknown;
}

export interface AttributeView {
  code: string;
  datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist";
  variable: boolean;
  required: boolean;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

export interface CategoryView {
  code: string;
  name: string;
  description: string;
  notice: string | null;
  keywords: string[];
  sla_hours: { verify: number; resolve: number };
  attributes: AttributeView[];
}

export interface CategoriesView {
  version: string;
  lang: "vi" | "en";
  groups: { code: string; name: string; services: CategoryView[] }[];
}

export interface WardView {
  code: string;
  name: Names;
  level: string;
}

export interface BoundaryFeature {
  type: "Feature";
  properties: { code: string; name_vi: string; name_en: string; approximate: boolean };
  geometry: { type: "Polygon" | "MultiPolygon"; coordinates: unknown };
}

export interface BoundaryCollection {
  type: "FeatureCollection";
  features: BoundaryFeature[];
}

export interface StatsView {
  total: number;
  resolved: number;
  in_progress: number;
  ratings: number;
  positive_ratings: number;
  satisfaction_rate: number | null;
  accounts: number;
  on_time?: number;
  on_time_rate?: number | null;
  [extra: string]: unknown;
}

const cache = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

export const categories = () =>
  once(`categories:${getLang()}`, () => get<CategoriesView>("/api/v1/categories", { lang: getLang() }));
export const wards = () => once("wards", () => get<{ wards: WardView[] }>("/api/v1/wards"));
export const boundaries = () => once("boundaries", () => get<BoundaryCollection>("/api/v1/wards/boundaries"));
export const report = (id: string) => get<TrackingView>(`/api/v1/reports/${encodeURIComponent(id)}`);
export const stats = (scope: { ward?: string; service?: string } = {}) =>
  get<StatsView>("/api/v1/stats/field-reporting", scope);

/** Every category, flat, in the page's language. */
export async function categoryList(): Promise<CategoryView[]> {
  const view = await categories();
  return view.groups.flatMap((group) => group.services);
}

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"];

/** Ask for a presigned POST, then send the photo straight to storage; the key goes in the report. */
export async function uploadPhoto(file: File): Promise<string> {
  if (!PHOTO_TYPES.includes(file.type)) throw new Error(t("photo.wrongType"));
  const ticket = await post<UploadTicket>("/api/v1/uploads", { content_type: file.type });
  if (file.size > ticket.max_bytes) throw new Error(t("photo.tooLarge", { mb: ticket.max_bytes >> 20 }));
  return sendToStorage(ticket, file, t("photo.uploadFailed"));
}

/** A photo as the API cites it ("uploads/<id>", a photo URL or a bare id) → an <img> src. */
export function photoSrc(photo: string): string {
  if (/^https?:|^\//.test(photo)) return photo;
  return `/api/v1/photos/${photo.replace(/^uploads\//, "")}`;
}

/** An open report near a place, as a resident about to send the same problem sees it. */
export interface NearbyItem {
  id: string;
  status: TrackingView["status"];
  distance_m: number;
  requested_datetime: string;
  service: { code: string; name: Names };
  ward: { code: string; name: Names };
  lat: number;
  long: number;
  description: string | null;
}

export interface NearbyView {
  radius_m: number;
  window_hours: number;
  items: NearbyItem[];
}

/** A line of the public list of recent reports (its words masked; never who sent it). */
export interface PublicReportItem {
  id: string;
  service: { code: string; name: Names };
  status: TrackingView["status"];
  ward: { code: string; name: Names };
  lat: number;
  long: number;
  requested_datetime: string;
  updated_datetime: string;
  description: string | null;
}

export interface PublicReportsPage {
  items: PublicReportItem[];
  total: number;
  days: number;
  limit: number;
}

export const nearbyReports = (service_code: string, lat: number, long: number) =>
  get<NearbyView>("/api/v1/nearby-reports", { service_code, lat, long });
export const publicReports = (limit = 100, days = 30) =>
  get<PublicReportsPage>("/api/v1/reports", { limit, days });
