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
