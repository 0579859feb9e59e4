// The cameras API (/api/v1/cameras): the camera map with health, the alert queue, actions.
import { get, post } from "@shared/api";

const BASE = "/api/v1/cameras";

export interface Zone {
  zone_id: string;
  kind: "fire_watch" | "no_construction" | "no_dumping" | "no_encroachment";
  polygon: [number, number][];
  name: string; // Vietnamese
  name_en: string;
}

export interface Named {
  vi: string;
  en: string;
}

export interface WardRef {
  code: string;
  name: Named;
}

export interface Rates {
  alerts: number;
  verified: number;
  false_alarms: number;
  false_alarm_rate: number | null;
  quarantined: number;
  by_kind: Record<string, number>;
}

export interface CameraView {
  camera_id: string;
  name: string;
  ward_code: string;
  ward: WardRef;
  lat: number;
  lon: number;
  kind: "hd" | "medium_range" | "ward";
  active: boolean;
  zones: Zone[];
  silent_after_minutes: number;
  tuning: { fire_threshold: number; change_area_fraction: number; false_alarms: number };
  health: { last_seen_at: string | null; silent: boolean; snapshots: number };
  stats: Rates;
  uploader_key_rotated_at?: string | null;
}

export type AlertStatus = "raised" | "verified" | "dispatched" | "false_alarm" | "closed";

export interface AlertAction {
  action: string;
  by: string;
  at: string;
  note: string | null;
  unit: string | null;
}

export interface AlertView {
  alert_id: string;
  camera_id: string;
  ward_code: string;
  zone_id: string;
  kind: "fire" | "smoke" | "dumping" | "construction" | "encroachment" | "camera_silent";
  confidence: number;
  severity: "critical" | "high" | "medium" | "low";
  status: AlertStatus;
  raised_at: string;
  snapshots: number;
  unit: string | null;
  notified: string[];
  history: AlertAction[];
  evidence: { crop_key: string; annotated_key: string; crop_url: string; annotated_url: string } | null;
}

export type IncidentStatus = "open" | "verified" | "dispatched" | "false_alarm" | "closed";

export interface Evidence {
  crop_key: string;
  annotated_key: string;
  crop_url: string;
  annotated_url: string;
}

export interface TimelineEntry {
  alert_id: string;
  at: string;
  confidence: number;
  severity: AlertView["severity"];
  snapshots: number;
  evidence: Evidence | null;
}

export interface IncidentAction {
  action: string;
  by: string;
  at: string;
  note: string | null;
  unit: string | null;
  report_id: string | null;
}

export interface IncidentView {
  incident_id: string;
  camera_id: string;
  camera_name: string;
  ward: WardRef;
  zone: { zone_id: string; name: Named };
  kind: AlertView["kind"];
  status: IncidentStatus;
  severity: AlertView["severity"];
  peak_confidence: number;
  opened_at: string;
  updated_at: string;
  alerts: number;
  timeline: TimelineEntry[];
  paged: string[];
  unit: string | null;
  report_id: string | null;
  history: IncidentAction[];
  version: number;
}

/** Kinds a linked field report can track (the others are dispatched to a unit). */
export const REPORTABLE = ["dumping", "construction", "encroachment"];

export const incidents = (status = "open") =>
  get<{ incidents: IncidentView[]; next_page_token: string | null }>(`${BASE}/incidents`, { status, limit: 100 });

const incidentAct = (id: string, action: string, body: unknown) =>
  post<IncidentView>(`${BASE}/incidents/${encodeURIComponent(id)}/${action}`, body);

export const verifyIncident = (id: string, real: boolean, note?: string) =>
  incidentAct(id, "verify", { real, note });
export const dispatchIncident = (id: string, unit: string, note?: string) =>
  incidentAct(id, "dispatch", { unit, note });
export const fileReport = (id: string, note?: string) => incidentAct(id, "dispatch", { field_report: true, note });
export const closeIncident = (id: string, note?: string) => incidentAct(id, "close", { note });

export const cameras = () => get<{ cameras: CameraView[] }>(BASE).then((r) => r.cameras);

export const alerts = (status = "open") =>
  get<{ alerts: AlertView[]; next_page_token: string | null }>(`${BASE}/alerts`, { status, limit: 100 });

export const stats = () => get<{ all: Rates; cameras: ({ camera_id: string } & Rates)[] }>(`${BASE}/stats`);

const act = (id: string, action: string, body: unknown) =>
  post<AlertView>(`${BASE}/alerts/${encodeURIComponent(id)}/${action}`, body);

export const verify = (id: string, real: boolean, note?: string) => act(id, "verify", { real, note });
export const dispatch = (id: string, unit: string, note?: string) => act(id, "dispatch", { unit, note });
export const close = (id: string, acceptChange: boolean, note?: string) =>
  act(id, "close", { accept_change: acceptChange, note });

/** Administrators only: a new key for the camera's gateway, returned this once. */
export const rotateUploaderKey = (id: string) =>
  post<{ camera_id: string; uploader_key: string }>(`${BASE}/${encodeURIComponent(id)}/uploader-key`, {});
