// The socio-economic API (/api/v1/socio-economic): the indicator catalogue and dashboard, one
// indicator's history, entry and approval, targets, the meeting pack and the task register.
import {
  download,
  get,
  post,
  put,
  reply,
  request,
  sendToStorage,
  TABLE_TYPES,
  type TableFormat,
  type UploadTicket,
} from "@shared/api";

const BASE = "/api/v1/socio-economic";

export const READ = "socio_economic.indicators.read";
export const ENTER = "socio_economic.values.enter";
export const APPROVE = "socio_economic.values.approve";
export const SET_TARGETS = "socio_economic.targets.set";
export const MAKE_PACKS = "socio_economic.packs.make";
export const READ_TASKS = "socio_economic.tasks.read";
export const REPORT_TASKS = "socio_economic.tasks.report";

export interface Named {
  vi: string;
  en: string;
}

export type Frequency = "monthly" | "quarterly" | "six_monthly" | "yearly";
export type Direction = "up" | "down";
export type ValueStatus = "estimate" | "preliminary" | "official";
export type ValueState = "approved" | "pending" | "empty" | "derived";
export type Traffic = "on_track" | "at_risk" | "off_track" | "no_target";

export interface Indicator {
  code: string;
  group: string;
  name: Named;
  unit: Named;
  frequency: Frequency;
  owner_unit: string;
  good: Direction;
  decimals: number;
  breakdowns: string[]; // "ward", "sector"
  formula: string | null;
  fed_by: string | null;
  derived: boolean;
  time_aggregation: "sum" | "average" | "last" | "ratio"; // how months make a year
  owner?: Named; // the owner unit's name
}

export interface Catalogue {
  version: string;
  groups: { code: string; name: Named }[];
  units: { code: string; name: Named }[];
  sectors: { code: string; name: Named }[];
  wards: { code: string; name: Named | string }[];
  indicators: Indicator[];
}

export interface Target {
  period?: string;
  text: string;
  low: number | null;
  high: number | null;
  resolution: string | null;
}

export interface DashboardRow {
  code: string;
  name: Named;
  unit: Named;
  decimals: number;
  good: Direction;
  period: string; // the indicator's own latest period (a quarter, a year) up to the month
  period_label: Named;
  value: number | null;
  status: ValueStatus | null;
  state: ValueState;
  previous: number | null;
  same_period_last_year: number | null;
  change_previous_pct: number | null;
  yoy_pct: number | null;
  ytd: number | null;
  pct_of_plan: number | null;
  target: Target | null;
  traffic: Traffic;
  forecast: IndicatorForecast | null;
  needed_per_month: number | null;
}

export interface Dashboard {
  period: string;
  label: Named;
  counts: Record<Traffic, number>;
  groups: { code: string; name: Named; rows: DashboardRow[] }[];
}

export interface Finding {
  rule: string;
  severity: "error" | "warning" | "info";
  message_vi: string;
  message_en: string;
  detail?: string;
}

export interface Pending {
  value: number;
  status: ValueStatus;
  by: string;
  at: string;
  comment: string | null;
  reason: string | null;
  findings: Finding[];
}

export interface Revision {
  no: number;
  at: string;
  entered_by: string;
  approved_by: string | null;
  reason: string | null;
  old_value: number | null;
  new_value: number | null;
  old_status: ValueStatus | null;
  new_status: ValueStatus | null;
}

export interface SeriesPoint {
  indicator: string;
  breakdown: string;
  period: string;
  version: number;
  entered_by: string | null;
  value: number | null;
  status: ValueStatus | null;
  state: ValueState;
  approved_by: string | null;
  approved_at: string | null;
  pending: Pending | null;
  revisions: Revision[];
}

export interface NeededMonth {
  month: string;
  needed: number;
  ever_achieved: boolean;
  best_before: number | null;
}

export interface IndicatorForecast {
  year: number;
  through: string;
  value: number;
  low: number;
  high: number;
  holt_winters: number | null;
  status: Traffic;
  needed: NeededMonth[];
}

export interface IndicatorPage {
  indicator: Indicator;
  series: SeriesPoint[];
  chart: { months: string[]; values: (number | null)[]; last_year: (number | null)[]; target: Target | null };
  targets: Target[];
  forecast: IndicatorForecast | null;
  breakdown: { breakdown: string; name: Named | string; value: number | null }[];
}

/** A value waiting for approval: the series value, its indicator's names and what is approved now. */
export interface Approval extends SeriesPoint {
  name: Named;
  unit: Named;
  approved_value: number | null;
  pending: Pending;
}

export interface ImportError {
  row: number;
  column: string;
  message_vi: string;
  message_en: string;
}

export type PackStatus = "queued" | "building" | "ready" | "failed";

export interface Pack {
  pack_id: string;
  period: string;
  cutoff: string | null;
  status: PackStatus;
  sha256: string | null;
  files: { xlsx?: string; pdf?: string }; // download links, once ready
  requested_at: string | null;
  error?: string | null;
}

export type TaskStatus = "open" | "done" | "cancelled";

export interface Standing {
  elapsed_pct: number; // % of the time from start to deadline gone by
  gap: number; // points the % done trails the time
  at_risk: boolean;
  overdue: boolean;
  projected_finish: string | null;
  projection: string;
  late_by_days: number | null;
}

export interface Task {
  task_id: string;
  title: string;
  title_en: string | null;
  source: string;
  source_ref: string;
  owner_unit: string;
  co_units: string[];
  start: string;
  deadline: string;
  expected_output: string;
  status: TaskStatus;
  percent: number;
  version: number;
  directive_id?: string | null; // a provincial directive's own reference
  acknowledged_at?: string | null; // when the owner unit confirmed it has the task
  standing: Standing;
  unit_names: Record<string, { vi: string; en: string }>; // the owner's and co-operating units'
}

export interface TaskDetail extends Task {
  progress: {
    at: string;
    by: string;
    unit: string | null;
    percent: number;
    note: string;
    evidence: { key: string; url: string }[];
  }[];
}

const enc = encodeURIComponent;

let catalogueCache: Promise<Catalogue> | null = null;
/** The catalogue changes with a new version of its file, not within a session. */
export function catalogue(): Promise<Catalogue> {
  catalogueCache ??= get<Catalogue>(`${BASE}/catalogue`);
  catalogueCache.catch(() => (catalogueCache = null));
  return catalogueCache;
}

export const dashboard = (period?: string) => get<Dashboard>(`${BASE}/dashboard`, { period });

export const indicatorPage = (code: string, breakdown = "city") =>
  get<IndicatorPage>(`${BASE}/indicators/${enc(code)}`, { breakdown });

export interface Entry {
  indicator: string;
  period: string;
  breakdown: string;
  value: number;
  status: ValueStatus;
  comment: string | null;
  reason: string | null;
}

/** 201: a value to approve; 200: the same as the one held (nothing changed). */
export const enterValue = (entry: Entry) =>
  reply<SeriesPoint>(`${BASE}/values`, { method: "POST", body: entry }).then((r) => ({
    changed: r.status === 201,
    point: r.body,
  }));

export const XLSX_TYPE = TABLE_TYPES.xlsx;

/** The caller's indicators due in a month, the import's columns with the value blank: a file
 * to fill in and import (the rows left blank are skipped). */
export const entryTemplate = (period: string, format: TableFormat) =>
  download(`${BASE}/indicators/entry-template`, { period, format }, TABLE_TYPES[format], `mau-nhap-lieu-${period}.${format}`);

export interface ImportResult {
  rows: number;
  changed: number;
  unchanged: number;
  skipped: number;
  skipped_rows: number[];
}

/** The file as the request's body: CSV or XLSX by its name (browsers leave some types blank). */
export function importValues(file: File) {
  const type = /\.xlsx$/i.test(file.name) ? XLSX_TYPE : "text/csv";
  return request<ImportResult>(`${BASE}/values/import`, {
    method: "POST",
    body: file,
    headers: { "Content-Type": type },
  });
}

export const approvals = () => get<{ items: Approval[] }>(`${BASE}/approvals`).then((r) => r.items);

export const approve = (item: Approval, comment: string | null) =>
  post(`${BASE}/values/${enc(item.indicator)}/${enc(item.period)}/approve`, {
    breakdown: item.breakdown,
    comment,
    version: item.version,
  });

export const sendBack = (item: Approval, reason: string) =>
  post(`${BASE}/values/${enc(item.indicator)}/${enc(item.period)}/reject`, { breakdown: item.breakdown, reason });

export const setTarget = (code: string, period: string, text: string, resolution: string | null) =>
  put<Target>(`${BASE}/targets/${enc(code)}/${enc(period)}`, { text, resolution });

/** 202 with the queued pack, or 200 with the one already made for that period and cut-off. */
export const requestPack = (period: string, cutoff: string) => post<Pack>(`${BASE}/packs`, { period, cutoff: cutoff || null });
export const pack = (id: string) => get<Pack>(`${BASE}/packs/${enc(id)}`);
export const packs = () => get<{ items: Pack[] }>(`${BASE}/packs`).then((r) => r.items);

export interface TaskFilters {
  owner_unit?: string;
  status: TaskStatus;
  at_risk?: boolean;
}

export const tasks = (filters: TaskFilters) =>
  get<{ tasks: Task[]; at_risk: number; overdue: number }>(`${BASE}/tasks`, {
    owner_unit: filters.owner_unit,
    status: filters.status,
    at_risk: filters.at_risk ? "true" : undefined,
  });
export const task = (id: string) => get<TaskDetail>(`${BASE}/tasks/${enc(id)}`);
/** A report names the task's version as read: a stale board gets a 409, not a lost report. */
export const reportProgress = (item: Task, percent: number, note: string, evidence: string[] = []) =>
  post<TaskDetail>(`${BASE}/tasks/${enc(item.task_id)}/progress`, { percent, note, evidence, version: item.version });

/** The owner unit confirms it has the task in hand (once), on the version it read. */
export const acknowledge = (item: Task) =>
  post<TaskDetail>(`${BASE}/tasks/${enc(item.task_id)}/acknowledge`, { version: item.version });

/** What the register takes as evidence (tasks/evidence.py), by the file name's ending. */
export const EVIDENCE_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  xlsx: XLSX_TYPE,
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
export const MAX_EVIDENCE = 10;
export const MAX_EVIDENCE_MB = 20;

/** The file's type as the register names it (some systems leave an Office file's type empty). */
export function evidenceType(file: File): string | null {
  const ending = file.name.split(".").pop()?.toLowerCase() ?? "";
  const type = EVIDENCE_TYPES[ending];
  return type && (!file.type || file.type === type) ? type : null;
}

/** One evidence file to storage through the task's presigned POST; its key for the report. */
export async function uploadEvidence(item: Task, file: File, type: string, failed: string): Promise<string> {
  const ticket = await post<UploadTicket>(`${BASE}/tasks/${enc(item.task_id)}/evidence-uploads`, {
    filename: file.name,
    content_type: type,
  });
  return sendToStorage(ticket, file, failed);
}
