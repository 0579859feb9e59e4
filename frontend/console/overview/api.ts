// The platform's overview API (/api/v1/overview): one tile per room, from its projections.
import { get } from "@shared/api";

export interface Bilingual {
  vi: string;
  en: string;
}

export interface Figure {
  key: string;
  label: Bilingual;
  value: number | null;
  unit: string | null;
  tone: "neutral" | "good" | "bad";
}

export interface Ranked {
  key: string;
  label: Bilingual;
  value: number | null;
  detail: Bilingual | null;
}

export interface Tile {
  room: string;
  title: Bilingual;
  link: string;
  figures: Figure[];
  alerts: Figure[];
  ranking: { title: Bilingual; items: Ranked[] } | null;
}

export interface Overview {
  generated_at: string;
  tiles: Tile[];
}

export const WATCHERS = "platform.overview.read";

export const overview = () => get<Overview>("/api/v1/overview");
