// Open311 API keys: a partner's system submits service requests with one. The key is shown
// once, here; the API keeps only its hash, so a lost key is replaced by a new one.
import { useBusy } from "@shared/forms";
import { dateTime } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Alert, errorText, Failed, Loading, useAsync, useCopy } from "@shared/ui";
import { useState } from "preact/hooks";
import { type ApiKeyView, apiKeys, createApiKey, revokeApiKey } from "./api";

export function ApiKeys() {
  useLang();
  const state = useBusy();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; api_key: string } | null>(null);
  const [copied, copy, forgetCopied] = useCopy("keys.copied", "keys.copyFailed");
  const listed = useAsync(apiKeys, []);

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
            forgetCopied();
            setCreated(await createApiKey(name.trim()));
            setName("");
            listed.reload();
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
      <h2>{t("keys.list")}</h2>
      {listed.loading && !listed.data && <Loading />}
      {listed.error ? <Failed error={listed.error} retry={listed.reload} /> : null}
      {listed.data && <KeyTable keys={listed.data} onChange={listed.reload} />}
    </>
  );
}

function KeyTable({ keys, onChange }: { keys: ApiKeyView[]; onChange: () => void }) {
  const [asking, setAsking] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  if (keys.length === 0) return <p class="muted">{t("keys.none")}</p>;
  async function revoke(key: ApiKeyView) {
    try {
      await revokeApiKey(key.key_id);
      setStatus(t("keys.revokedDone", { name: key.name }));
      setAsking(null);
      onChange();
    } catch (failure) {
      setStatus(errorText(failure));
    }
  }
  return (
    <>
      <div class="table-wrap card flush">
        <table class="keys-table">
          <caption class="visually-hidden">{t("keys.list")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("keys.name")}</th>
              <th scope="col">{t("keys.endsWith")}</th>
              <th scope="col">{t("keys.created")}</th>
              <th scope="col">{t("keys.state")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("keys.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.key_id}>
                <th scope="row">{key.name}</th>
                <td>{key.hint ? `…${key.hint}` : "—"}</td>
                <td>
                  {dateTime(key.created_datetime)}
                  {key.created_by && <span class="muted"> · {key.created_by}</span>}
                </td>
                <td>
                  {key.active
                    ? t("keys.active")
                    : t("keys.revoked", { at: dateTime(key.revoked_datetime), by: key.revoked_by ?? "—" })}
                </td>
                <td>
                  {key.active &&
                    (asking === key.key_id ? (
                      <span class="confirm">
                        {t("keys.sure")}{" "}
                        <button type="button" class="danger small" onClick={() => void revoke(key)}>
                          {t("keys.revokeYes", { name: key.name })}
                        </button>{" "}
                        <button type="button" class="secondary small" onClick={() => setAsking(null)}>
                          {t("keys.keep")}
                        </button>
                      </span>
                    ) : (
                      <button type="button" class="secondary small" onClick={() => setAsking(key.key_id)}>
                        {t("keys.revoke", { name: key.name })}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status">{status}</p>
    </>
  );
}
