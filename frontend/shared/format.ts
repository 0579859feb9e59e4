// Dates are shown in Vietnam's time, whatever the browser's zone.
import { locale } from "./i18n";

const ZONE = "Asia/Ho_Chi_Minh";

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** "14:03, 01/12/2026": short and the same in both languages (day before month). */
export function shortDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const parts = new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("hour")}:${part("minute")}, ${part("day")}/${part("month")}/${part("year")}`;
}

/** "2 giờ trước" / "2 hours ago" within a day of `now`; "hôm qua" / "yesterday" and so on by
 * calendar days in Vietnam, within a week; null further back (show the date alone). */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string | null {
  if (!iso) return null;
  const then = new Date(iso).getTime();
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: "auto" });
  const seconds = (then - now) / 1000;
  if (Math.abs(seconds) < 60) return format.format(Math.round(seconds), "second");
  if (Math.abs(seconds) < 3600) return format.format(Math.round(seconds / 60), "minute");
  const days = vnDay(then) - vnDay(now);
  if (days === 0) return format.format(Math.round(seconds / 3600), "hour");
  return Math.abs(days) < 7 ? format.format(days, "day") : null;
}

/** Days since the epoch of a moment's calendar date in Vietnam. */
function vnDay(ms: number): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(), { timeZone: ZONE, dateStyle: "medium" }).format(new Date(iso));
}

export function number(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(locale()).format(value);
}

export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat(locale(), {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function isOverdue(expected: string | null | undefined, closed: string | null | undefined): boolean {
  return !!expected && !closed && new Date(expected).getTime() < Date.now();
}
