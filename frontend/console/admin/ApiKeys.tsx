// Open311 API keys: a partner's system submits service requests with one. The key is shown
// once, here; the API keeps only its hash, so a lost key is replaced by a new one.
import { useBusy } from "@shared/forms";
import { t, useLang } from "@shared/i18n";
import { Alert } from "@shared/ui";
import { useState } from "preact/hooks";
import { createApiKey } from "./api";

export function ApiKeys() {
  useLang();
  const state = useBusy();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; api_key: string } | null>(null);
  const [copied, setCopied] = useState("");

  async function copy(key: string) {
    try {
      await navigator.clipboard.writeText(key);
      setCopied(t("keys.copied"));
    } catch {
      setCopied(t("keys.copyFailed"));
    }
  }

  return (
    <>
      <h1>{t("keys.title")}</h1>
      <p class="muted">{t("keys.intro")}</p>
      <form
        class="card key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void state.run(async () => {
            setCreated(null);
            setCopied("");
            setCreated(await createApiKey(name.trim()));
            setName("");
          });
        }}
      >
        <h2>{t("keys.new")}</h2>
        <div class="field">
          <label for="key-name">{t("keys.name")}</label>
          <input
            id="key-name"
            required
            maxLength={100}
            aria-describedby="key-name-hint"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <p class="hint" id="key-name-hint">
            {t("keys.nameHint")}
          </p>
        </div>
        {state.error && <Alert>{state.error}</Alert>}
        <button type="submit" disabled={state.busy || !name.trim()}>
          {t("keys.create")}
        </button>
      </form>
      {created && (
        <section class="card key-created" aria-labelledby="key-created-title">
          <h2 id="key-created-title">{t("keys.createdFor", { name: created.name })}</h2>
          <Alert kind="info">
            <strong>{t("keys.copyNow")}</strong> {t("keys.once")}
          </Alert>
          <div class="field">
            <label for="created-key">{t("keys.key")}</label>
            <input id="created-key" class="key-value" readOnly value={created.api_key} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <p>
            <button type="button" class="secondary" onClick={() => void copy(created.api_key)}>
              {t("keys.copy")}
            </button>{" "}
            <span role="status">{copied}</span>
          </p>
          <p class="muted">{t("keys.usage")}</p>
        </section>
      )}
    </>
  );
}
