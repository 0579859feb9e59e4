// Vietnamese first, English second: every string of both apps goes through t().
import { useEffect, useState } from "preact/hooks";

export type Lang = "vi" | "en";
export type Messages = Record<string, string>;
export const LANGS: readonly Lang[] = ["vi", "en"];
const STORAGE_KEY = "ioc.lang";

const dictionaries: Record<Lang, Messages> = { vi: {}, en: {} };
const listeners = new Set<(lang: Lang) => void>();
let current: Lang = initialLang();

function initialLang(): Lang {
  const stored = safeStorage()?.getItem(STORAGE_KEY);
  if (stored === "vi" || stored === "en") return stored;
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "vi" || asked === "en") return asked;
  return "vi";
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Each module brings its own strings; a key missing in English falls back to Vietnamese. */
export function addMessages(messages: { vi: Messages; en: Messages }): void {
  Object.assign(dictionaries.vi, messages.vi);
  Object.assign(dictionaries.en, messages.en);
}

export function t(key: string, params?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? dictionaries.vi[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  safeStorage()?.setItem(STORAGE_KEY, lang);
  applyLang();
  for (const listener of listeners) listener(lang);
}

/** The page's lang attribute follows the chosen language (screen readers switch voice). */
export function applyLang(): void {
  document.documentElement.lang = current;
  const title = dictionaries[current]["app.title"];
  if (title) document.title = title;
}

/** Re-render a component when the language changes. */
export function useLang(): Lang {
  const [lang, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return lang;
}

/** A name the API gives in both languages. */
export function pick(names: { vi: string; en: string } | undefined | null): string {
  if (!names) return "";
  return names[current] || names.vi;
}

export function locale(): string {
  return current === "vi" ? "vi-VN" : "en-GB";
}
