// The filters of the queue and the map, kept in the address (a filtered view can be shared).
import { type CategoryView, categoryList, STATUSES, type WardView, wards } from "@shared/field_reporting";
import { pick, t, useLang } from "@shared/i18n";
import { useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { type Filters, type UnitView, units } from "./api";

async function options(): Promise<{ wards: WardView[]; categories: CategoryView[]; units: UnitView[] }> {
  const [w, c, u] = await Promise.all([wards(), categoryList(), units().catch(() => [])]);
  return { wards: w.wards, categories: c, units: u };
}

export function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const lang = useLang();
  const loaded = useAsync(options, [lang]);
  const [draft, setDraft] = useState<Filters>(value);
  const set = (key: keyof Filters, v: string | boolean) => setDraft({ ...draft, [key]: v || undefined });
  const o = loaded.data;
  return (
    <form
      class="filters card"
      aria-label={t("queue.filters")}
      onSubmit={(e) => {
        e.preventDefault();
        onChange(draft);
      }}
    >
      <div class="field">
        <label for="f-status">{t("queue.status")}</label>
        <select id="f-status" value={draft.status ?? ""} onChange={(e) => set("status", e.currentTarget.value)}>
          <option value="">{t("queue.open")}</option>
          <option value="all">{t("queue.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-ward">{t("queue.ward")}</label>
        <select id="f-ward" value={draft.ward ?? ""} onChange={(e) => set("ward", e.currentTarget.value)}>
          <option value="">{t("queue.all")}</option>
          {o?.wards.map((w) => (
            <option key={w.code} value={w.code}>
              {pick(w.name)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-category">{t("queue.category")}</label>
        <select id="f-category" value={draft.category ?? ""} onChange={(e) => set("category", e.currentTarget.value)}>
          <option value="">{t("queue.all")}</option>
          {o?.categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-unit">{t("queue.unit")}</label>
        <select id="f-unit" value={draft.unit ?? ""} onChange={(e) => set("unit", e.currentTarget.value)}>
          <option value="">{t("queue.all")}</option>
          {o?.units.map((u) => (
            <option key={u.code} value={u.code}>
              {pick(u.name)}
            </option>
          ))}
        </select>
      </div>
      <label class="choice overdue-filter">
        <input type="checkbox" checked={!!draft.overdue} onChange={(e) => set("overdue", e.currentTarget.checked)} />
        {t("queue.overdue")}
      </label>
      <div class="filter-buttons">
        <button type="submit">{t("queue.apply")}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({});
            onChange({});
          }}
        >
          {t("queue.clear")}
        </button>
      </div>
    </form>
  );
}
