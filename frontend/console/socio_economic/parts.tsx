// What every page of the room shows the same way: figures with their decimals, periods in
// words, the traffic colour with its words, the value's status (ước tính / sơ bộ / chính thức).
import { locale, pick, t, useLang } from "@shared/i18n";
import type { Named, Traffic, ValueState, ValueStatus } from "./api";

/** A figure with the indicator's own decimals ("1.234,5" in Vietnamese). */
export function amount(value: number | null | undefined, decimals?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const digits = decimals === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(locale(), digits).format(value);
}

/** A percentage the API gives in percent (103.5 is 103,5 %). */
export function pct(value: number | null | undefined, signed = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const text = new Intl.NumberFormat(locale(), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: signed ? "exceptZero" : "auto",
  }).format(value);
  return `${text} %`;
}

export function nameOf(name: Named | string | null | undefined): string {
  if (!name) return "";
  return typeof name === "string" ? name : pick(name);
}

/** "2026-10" → "Tháng 10/2026" / "October 2026"; quarters, halves and years likewise. */
export function periodLabel(period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return t("se.period.month", { m: Number(month[2]), y: month[1] });
  const part = /^(\d{4})-([QH])(\d)$/.exec(period);
  if (part) return t(part[2] === "Q" ? "se.period.quarter" : "se.period.half", { n: part[3], y: part[1] });
  return /^\d{4}$/.test(period) ? t("se.period.year", { y: period }) : period;
}

/** "T10" / "Oct": a month on a chart's axis. */
export function monthShort(period: string): string {
  const [year, month] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** A person as the API names them ("staff:tckh" or "tckh"): the username. */
export function who(by: string | null | undefined): string {
  if (!by) return "—";
  return by.includes(":") ? by.slice(by.indexOf(":") + 1) : by;
}

const TRAFFIC_MARK: Record<Traffic, string> = { on_track: "●", at_risk: "▲", off_track: "■", no_target: "○" };

/** The colour with its words and a shape: never colour alone. */
export function TrafficBadge({ traffic }: { traffic: Traffic }) {
  useLang();
  return (
    <span class={`badge se-traffic se-${traffic}`}>
      <span aria-hidden="true">{TRAFFIC_MARK[traffic]} </span>
      {t(`se.traffic.${traffic}`)}
    </span>
  );
}

export function ValueBadge({ status, state }: { status: ValueStatus | null; state?: ValueState }) {
  useLang();
  return (
    <>
      {status && <span class={`badge se-status se-${status}`}>{t(`se.status.${status}`)}</span>}
      {state && state !== "approved" && (
        <>
          {status ? " " : ""}
          <span class={`badge se-state se-${state}`}>{t(`se.state.${state}`)}</span>
        </>
      )}
    </>
  );
}

/** A number as a person types it: "1.234,5" or "1234.5" (Vietnamese writes a decimal comma). */
export function parseNumber(text: string): number | null {
  let digits = text.trim().replace(/\s/g, "").replace("−", "-");
  if (!digits) return null;
  if (digits.includes(",")) digits = digits.replace(/\./g, "").replace(",", ".");
  else if (/^-?\d{1,3}(\.\d{3})+$/.test(digits)) digits = digits.replace(/\./g, "");
  const value = Number(digits);
  return Number.isFinite(value) ? value : null;
}

/** The month before this one in Vietnam, "YYYY-MM": what an officer usually enters. */
export function lastMonth(now = new Date()): string {
  const [year, month] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit" })
    .format(now)
    .split("-")
    .map(Number);
  const back = month === 1 ? [year - 1, 12] : [year, month - 1];
  return `${back[0]}-${String(back[1]).padStart(2, "0")}`;
}
