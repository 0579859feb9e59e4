// The socio-economic API (/api/v1/socio-economic): the indicator catalogue and dashboard, one
// indicator's history, entry and approval, targets, the meeting pack and the task register.
import { get, post, put, reply, request } from "@shared/api";

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
  aggregation?: "sum" | "average" | "last" | "ratio"; // how months make a year, when the API says
}

export interface Catalogue {
  version: string;
  groups: { code: string; name: Named }[];
  units: { code: string; name: Named | string }[];
  sectors: { code: string; name: Named | string }[];
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
  value: number | null;
  status: ValueStatus | null;
  state: ValueState;
  period_value_label: Named | string | null;
  previous: number | null;
  same_period_last_year: number | null;
  change_previous_pct: number | null;
  yoy_pct: number | null;
  ytd: number | null;
  pct_of_plan: number | null;
  target: Target | null;
  traffic: Traffic;
  forecast: { value: number; low: number; high: number; holt_winters: number | null } | null;
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
  detail?: unknown;
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
  period: string;
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
  chart: { months: string[]; values: (number | null)[]; last_year: (number | null)[] };
  targets: Target[];
  forecast: IndicatorForecast | null;
  breakdown: { breakdown: string; name: Named | string; value: number | null }[];
}

export interface Approval {
  indicator: string;
  name: Named;
  unit: Named;
  breakdown: string;
  period: string;
  version: number;
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
  cutoff?: string;
  status: PackStatus;
  sha256: string | null;
  files: { xlsx: string | null; pdf: string | null } | null;
  requested_at?: string;
}

export interface Task {
  task_id: string;
  title: string;
  owner_unit: string;
  co_units: string[];
  deadline: string;
  percent_done: number;
  percent_time: number;
  at_risk: boolean;
  overdue: boolean;
  projected_finish: string | null;
  late_days: number | null;
  status: string;
}

export interface TaskDetail extends Task {
  expected_output?: string | null;
  progress: { at: string; by: string; percent: number; note: string | null; evidence: string[] | null }[];
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

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The file as the request's body: CSV or XLSX by its name (browsers leave some types blank). */
export function importValues(file: File) {
  const type = /\.xlsx$/i.test(file.name) ? XLSX_TYPE : "text/csv";
  return request<{ rows: number; changed: number; unchanged: number }>(`${BASE}/values/import`, {
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

export const requestPack = (period: string, cutoff: string) =>
  post<{ pack_id: string; status: PackStatus }>(`${BASE}/packs`, { period, cutoff });
export const pack = (id: string) => get<Pack>(`${BASE}/packs/${enc(id)}`);
export const packs = () => get<{ items: Pack[] }>(`${BASE}/packs`).then((r) => r.items);

export interface TaskFilters {
  owner_unit?: string;
  status?: string;
  at_risk?: boolean;
}

export const tasks = (filters: TaskFilters) =>
  get<{ items: Task[] }>(`${BASE}/tasks`, {
    owner_unit: filters.owner_unit,
    status: filters.status,
    at_risk: filters.at_risk ? "true" : undefined,
  }).then((r) => r.items);
export const task = (id: string) => get<TaskDetail>(`${BASE}/tasks/${enc(id)}`);
export const reportProgress = (id: string, percent: number, note: string) =>
  post(`${BASE}/tasks/${enc(id)}/progress`, { percent, note });
