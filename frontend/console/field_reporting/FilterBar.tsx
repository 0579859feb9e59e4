// The filters of the queue and the map, kept in the address (a filtered view can be shared).
import { STATUSES } from "@shared/field_reporting";
import { pick, t, useLang } from "@shared/i18n";
import { useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { type Filters, lookups } from "./api";

export function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const lang = useLang();
  const loaded = useAsync(lookups, [lang]);
  const [draft, setDraft] = useState<Filters>(value);
  // Filters applied from elsewhere (a saved filter, the address) show here too.
  const applied = JSON.stringify(value);
  useEffect(() => setDraft(value), [applied]);
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
      <div class="field search-field">
        <label for="f-q">{t("queue.search")}</label>
        <input
          id="f-q"
          type="search"
          maxLength={200}
          value={draft.q ?? ""}
          placeholder={t("queue.searchHint")}
          onInput={(e) => set("q", e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="f-status">{t("queue.status")}</label>
        <select id="f-status" value={draft.status ?? ""} onChange={(e) => set("status", e.currentTarget.value)}>
          {/* A search looks at every status unless one is chosen (the API's rule). */}
          <option value="">{draft.q?.trim() ? t("queue.anyStatus") : t("queue.open")}</option>
          <option value="all">{t("queue.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Choice id="f-ward" label={t("queue.ward")} value={draft.ward} onChange={(v) => set("ward", v)}>
        {o?.wards.map((w) => ({ code: w.code, name: pick(w.name) }))}
      </Choice>
      <Choice id="f-category" label={t("queue.category")} value={draft.category} onChange={(v) => set("category", v)}>
        {o?.categories.map((c) => ({ code: c.code, name: c.name }))}
      </Choice>
      <Choice id="f-unit" label={t("queue.unit")} value={draft.unit} onChange={(v) => set("unit", v)}>
        {o?.units.map((u) => ({ code: u.code, name: pick(u.name) }))}
      </Choice>
      <label class="choice overdue-filter">
        <input type="checkbox" checked={!!draft.overdue} onChange={(e) => set("overdue", e.currentTarget.checked)} />
        {t("queue.overdue")}
      </label>
      <label class="choice overdue-filter">
        <input type="checkbox" checked={!!draft.mine} onChange={(e) => set("mine", e.currentTarget.checked)} />
        {t("queue.mine")}
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

/** A filter over one of the lists the API names (wards, categories, units); empty: all. */
function Choice(props: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  children: { code: string; name: string }[] | undefined;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ""} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t("queue.all")}</option>
        {props.children?.map((option) => (
          <option key={option.code} value={option.code}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}
