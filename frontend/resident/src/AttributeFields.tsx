// A category's own questions (Open311 attributes), in the order the catalogue gives.
import type { AttributeView } from "@shared/field_reporting";
import { t } from "@shared/i18n";

export type Answers = Record<string, string | string[]>;

export function AttributeFields({
  attributes,
  answers,
  onChange,
}: {
  attributes: AttributeView[];
  answers: Answers;
  onChange: (answers: Answers) => void;
}) {
  const sorted = [...attributes].sort((a, b) => a.order - b.order);
  if (!sorted.length) return null;
  const set = (code: string, value: string | string[]) => onChange({ ...answers, [code]: value });
  return (
    <fieldset>
      <legend>{t("new.details")}</legend>
      {sorted.map((attribute) => {
        const id = `attr-${attribute.code}`;
        if (!attribute.variable || attribute.datatype === "text") {
          // Not a question: a notice the city wants the resident to read.
          return (
            <p key={attribute.code} class="alert alert-info">
              {attribute.description}
            </p>
          );
        }
        if (attribute.datatype === "singlevaluelist") {
          return (
            <div class="field" key={attribute.code}>
              <QuestionLabel id={id} attribute={attribute} />
              <select
                id={id}
                required={attribute.required}
                value={(answers[attribute.code] as string) ?? ""}
                onChange={(e) => set(attribute.code, e.currentTarget.value)}
              >
                <option value="">{t("new.chooseOne")}</option>
                {attribute.values.map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.name}
                  </option>
                ))}
              </select>
            </div>
          );
        }
        if (attribute.datatype === "multivaluelist") {
          const chosen = (answers[attribute.code] as string[]) ?? [];
          return (
            <fieldset key={attribute.code} class="choices">
              <legend>
                {attribute.description}
                <Required attribute={attribute} />
              </legend>
              {attribute.values.map((option) => (
                <label class="choice" key={option.key}>
                  <input
                    type="checkbox"
                    checked={chosen.includes(option.key)}
                    onChange={(e) =>
                      set(
                        attribute.code,
                        e.currentTarget.checked
                          ? [...chosen, option.key]
                          : chosen.filter((key) => key !== option.key),
                      )
                    }
                  />
                  {option.name}
                </label>
              ))}
            </fieldset>
          );
        }
        // One input element for three kinds (the cast: Preact types each `type` separately).
        const type = (
          attribute.datatype === "number" ? "number" : attribute.datatype === "datetime" ? "datetime-local" : "text"
        ) as "text";
        return (
          <div class="field" key={attribute.code}>
            <QuestionLabel id={id} attribute={attribute} />
            <input
              id={id}
              type={type}
              step={attribute.datatype === "number" ? "any" : undefined}
              required={attribute.required}
              value={(answers[attribute.code] as string) ?? ""}
              onInput={(e) => set(attribute.code, e.currentTarget.value)}
            />
          </div>
        );
      })}
    </fieldset>
  );
}

function Required({ attribute }: { attribute: AttributeView }) {
  return attribute.required ? <span class="muted"> {t("new.required")}</span> : null;
}

function QuestionLabel({ id, attribute }: { id: string; attribute: AttributeView }) {
  return (
    <label for={id}>
      {attribute.description}
      <Required attribute={attribute} />
    </label>
  );
}

/** Only answered questions go to the API; a datetime gets Vietnam's offset. */
export function cleanAnswers(attributes: AttributeView[], answers: Answers): Answers {
  const clean: Answers = {};
  for (const attribute of attributes) {
    const value = answers[attribute.code];
    if (value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
    clean[attribute.code] =
      attribute.datatype === "datetime" && typeof value === "string" ? `${value}:00+07:00` : value;
  }
  return clean;
}
