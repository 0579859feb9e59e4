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

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
];

/** "2 giờ trước" / "2 hours ago" within a week of `now`; null further back (show the date). */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string | null {
  if (!iso) return null;
  let amount = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) {
      const format = new Intl.RelativeTimeFormat(locale(), { numeric: "auto" });
      return format.format(Math.round(amount), unit);
    }
    amount /= size;
  }
  return null;
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
