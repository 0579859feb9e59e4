// The administrator's own routing rules, edited as a whole and saved at once (PUT replaces
// them all). What the API refuses is shown at the top, each problem linked to its field, and
// again beside the field itself.
import { ApiError, type FieldError, halfOf } from "@shared/api";
import { useBusy } from "@shared/forms";
import { pick, t } from "@shared/i18n";
import { Alert } from "@shared/ui";
import { useState } from "preact/hooks";
import type { lookups } from "../field_reporting/api";
import { type RoutingRule, type RoutingView, saveRouting } from "./api";
import type { Namer } from "./Routing";

type Field = "service_code" | "ward_code" | "unit";
const FIELDS: Field[] = ["service_code", "ward_code", "unit"];

/** "rules[1].unit" → rule 1, field unit; "rules[2]" → rule 2 as a whole; else the table. */
function place(field: string): { index: number | null; field: Field | null } {
  const found = /^rules\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!found) return { index: null, field: null };
  const named = FIELDS.find((f) => f === found[2]) ?? null;
  return { index: Number(found[1]), field: named };
}

const inputId = (index: number, field: Field) => `rule-${index}-${field}`;
const adminRules = (view: RoutingView): RoutingRule[] =>
  view.rules
    .filter((r) => r.source === "admin" && r.ward_code)
    .map((r) => ({ service_code: r.service_code, ward_code: r.ward_code as string, unit: r.unit }));

export function RoutingEditor(props: {
  view: RoutingView;
  lookup: Awaited<ReturnType<typeof lookups>>;
  name: Namer;
  onSaved: (view: RoutingView) => void;
}) {
  const { lookup, name } = props;
  const [rules, setRules] = useState<RoutingRule[]>(() => adminRules(props.view));
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [refused, setRefused] = useState("");
  const [saved, setSaved] = useState("");
  const state = useBusy();

  const change = (index: number, field: Field, value: string) => {
    setSaved("");
    setRules(rules.map((rule, i) => (i === index ? { ...rule, [field]: value } : rule)));
  };
  const add = () => {
    setSaved("");
    const first = { service_code: lookup.categories[0]?.code ?? "", ward_code: lookup.wards[0]?.code ?? "" };
    setRules([...rules, { ...first, unit: "" }]);
  };
  const remove = (index: number) => {
    setSaved("");
    setProblems([]);
    setRules(rules.filter((_, i) => i !== index));
  };
  const save = () =>
    state.run(async () => {
      setProblems([]);
      setRefused("");
      setSaved("");
      try {
        const view = await saveRouting(rules.map((r) => ({ ...r, unit: r.unit.trim().toUpperCase() })));
        setRules(adminRules(view));
        setSaved(t("routing.saved", { n: adminRules(view).length }));
        props.onSaved(view);
      } catch (failure) {
        if (failure instanceof ApiError) {
          setProblems(failure.errors);
          setRefused(failure.message);
        }
        throw failure;
      }
    });

  const problemsOf = (index: number, field: Field | null) =>
    problems.filter((p) => {
      const at = place(p.field);
      return at.index === index && at.field === field;
    });
  const label = (p: FieldError) => {
    const at = place(p.field);
    if (at.index === null) return halfOf(p.message);
    const where = t("routing.rule", { n: at.index + 1 });
    const what = at.field ? ` · ${t(`routing.field.${at.field}`)}` : "";
    return `${where}${what}: ${halfOf(p.message)}`;
  };

  return (
    <section class="card routing-editor" aria-labelledby="admin-rules-title">
      <h2 id="admin-rules-title">{t("routing.adminRules")}</h2>
      <p class="muted">{t("routing.adminIntro")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {state.error && (
          <Alert>
            <p class="alert-title">{problems.length ? refused : state.error}</p>
            {problems.length > 0 && (
              <ul>
                {problems.map((p, i) => {
                  const at = place(p.field);
                  const target = at.index !== null ? inputId(at.index, at.field ?? "service_code") : null;
                  return <li key={i}>{target ? <a href={`#${target}`}>{label(p)}</a> : label(p)}</li>;
                })}
              </ul>
            )}
          </Alert>
        )}
        {saved && <Alert kind="success">{saved}</Alert>}
        {rules.length === 0 && <p>{t("routing.noAdminRules")}</p>}
        <datalist id="unit-codes">
          {lookup.units.map((u) => (
            <option key={u.code} value={u.code}>
              {pick(u.name)}
            </option>
          ))}
        </datalist>
        {rules.map((rule, index) => {
          const whole = problemsOf(index, null);
          return (
            <fieldset key={index} class={`routing-rule${whole.length ? " invalid" : ""}`}>
              <legend>{t("routing.rule", { n: index + 1 })}</legend>
              {whole.map((p, i) => (
                <p class="field-error" key={i}>
                  {halfOf(p.message)}
                </p>
              ))}
              <div class="routing-fields">
                <Choice
                  index={index}
                  field="service_code"
                  value={rule.service_code}
                  options={lookup.categories.map((c) => ({ code: c.code, name: c.name }))}
                  errors={problemsOf(index, "service_code")}
                  onChange={change}
                />
                <Choice
                  index={index}
                  field="ward_code"
                  value={rule.ward_code}
                  options={lookup.wards.map((w) => ({ code: w.code, name: pick(w.name) }))}
                  errors={problemsOf(index, "ward_code")}
                  onChange={change}
                />
                <div class="field">
                  <label for={inputId(index, "unit")}>{t("routing.field.unit")}</label>
                  <input
                    id={inputId(index, "unit")}
                    list="unit-codes"
                    required
                    autocomplete="off"
                    value={rule.unit}
                    aria-invalid={problemsOf(index, "unit").length > 0 || undefined}
                    aria-describedby={`${inputId(index, "unit")}-hint ${inputId(index, "unit")}-error`}
                    onInput={(e) => change(index, "unit", e.currentTarget.value)}
                  />
                  <p class="hint" id={`${inputId(index, "unit")}-hint`}>
                    {rule.unit && name.unit(rule.unit.trim().toUpperCase()) !== rule.unit.trim().toUpperCase()
                      ? name.unit(rule.unit.trim().toUpperCase())
                      : t("routing.unitHint")}
                  </p>
                  <FieldErrors id={`${inputId(index, "unit")}-error`} errors={problemsOf(index, "unit")} />
                </div>
              </div>
              <button
                type="button"
                class="secondary small"
                aria-label={t("routing.removeRule", { n: index + 1 })}
                onClick={() => remove(index)}
              >
                {t("routing.remove")}
              </button>
            </fieldset>
          );
        })}
        <p class="routing-buttons">
          <button type="button" class="secondary" onClick={add}>
            {t("routing.add")}
          </button>
          <button type="submit" disabled={state.busy}>
            {t("routing.save")}
          </button>
        </p>
      </form>
    </section>
  );
}

function FieldErrors({ id, errors }: { id: string; errors: FieldError[] }) {
  return (
    <p class="field-error" id={id} hidden={errors.length === 0}>
      {errors.map((e) => halfOf(e.message)).join("; ")}
    </p>
  );
}

function Choice(props: {
  index: number;
  field: Field;
  value: string;
  options: { code: string; name: string }[];
  errors: FieldError[];
  onChange: (index: number, field: Field, value: string) => void;
}) {
  const id = inputId(props.index, props.field);
  return (
    <div class="field">
      <label for={id}>{t(`routing.field.${props.field}`)}</label>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.errors.length > 0 || undefined}
        aria-describedby={`${id}-error`}
        onChange={(e) => props.onChange(props.index, props.field, e.currentTarget.value)}
      >
        {props.options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} errors={props.errors} />
    </div>
  );
}
