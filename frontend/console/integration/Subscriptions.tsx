// The province's subscriptions, for administrators: create one (its signing secret shown once,
// here), pause and resume, rotate the secret (shown once too; the old one signs beside it for
// 48 hours), delete; a subscription the system disabled (410, or failing for days) is told
// above the list, with its reason on its row.
import { useBusy } from "@shared/forms";
import { dateTime } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, DataTable, errorText, Failed, Loading, useAsync, useCopy } from "@shared/ui";
import { useRef, useState } from "preact/hooks";
import { createSubscription, pause, remove, resume, rotateSecret, type SubscriptionView, subscriptions, type WithSecret } from "./api";

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function Subscriptions() {
  useLang();
  const listed = useAsync(subscriptions, []);
  const [shown, setShown] = useState<WithSecret | null>(null);
  const disabled = (listed.data ?? []).filter((s) => s.status === "disabled");
  return (
    <>
      <h1>{t("int.title")}</h1>
      <p class="muted">{t("int.intro")}</p>
      {disabled.length > 0 && <Alert>{t("int.disabledWarning", { n: disabled.length })}</Alert>}
      <NewSubscriptionForm
        created={(made) => {
          setShown(made);
          listed.reload();
        }}
      />
      {shown && <SecretOnce shown={shown} />}
      <h2>{t("int.list")}</h2>
      {listed.loading && !listed.data && <Loading />}
      {listed.error ? <Failed error={listed.error} retry={listed.reload} /> : null}
      {listed.data && (
        <SubscriptionTable
          items={listed.data}
          changed={listed.reload}
          rotated={(made) => {
            setShown(made);
            listed.reload();
          }}
        />
      )}
    </>
  );
}

function NewSubscriptionForm({ created }: { created: (made: WithSecret) => void }) {
  const state = useBusy();
  const [url, setUrl] = useState("");
  const [types, setTypes] = useState("");
  const [wards, setWards] = useState("");
  const [description, setDescription] = useState("");
  // One key per request: a retry after a lost answer sends it again; a changed form, a new one.
  const key = useRef<string | null>(null);
  const changed = (set: (value: string) => void) => (e: { currentTarget: HTMLInputElement }) => {
    key.current = null;
    set(e.currentTarget.value);
  };
  return (
    <form
      class="card int-form"
      onSubmit={(e) => {
        e.preventDefault();
        void state.run(async () => {
          key.current ??= crypto.randomUUID();
          const body = { url: url.trim(), types: words(types), wards: words(wards), description };
          created(await createSubscription(body, key.current));
          key.current = null;
          setUrl("");
          setTypes("");
          setWards("");
          setDescription("");
        });
      }}
    >
      <h2>{t("int.new")}</h2>
      <div class="field">
        <label for="int-url">{t("int.url")}</label>
        <input id="int-url" type="url" required maxLength={2000} aria-describedby="int-url-hint" value={url} onInput={changed(setUrl)} />
        <p class="hint" id="int-url-hint">
          {t("int.urlHint")}
        </p>
      </div>
      <div class="field">
        <label for="int-types">{t("int.types")}</label>
        <input id="int-types" aria-describedby="int-types-hint" value={types} onInput={changed(setTypes)} />
        <p class="hint" id="int-types-hint">
          {t("int.typesHint")}
        </p>
      </div>
      <div class="field">
        <label for="int-wards">{t("int.wards")}</label>
        <input id="int-wards" aria-describedby="int-wards-hint" value={wards} onInput={changed(setWards)} />
        <p class="hint" id="int-wards-hint">
          {t("int.wardsHint")}
        </p>
      </div>
      <div class="field">
        <label for="int-description">{t("int.description")}</label>
        <input id="int-description" maxLength={500} value={description} onInput={changed(setDescription)} />
      </div>
      {state.error && <Alert>{state.error}</Alert>}
      <button type="submit" disabled={state.busy || !url.trim()}>
        {t("int.create")}
      </button>
    </form>
  );
}

function SecretOnce({ shown }: { shown: WithSecret }) {
  const [copied, copy] = useCopy("int.copied", "int.copyFailed");
  return (
    <section class="card int-secret" aria-labelledby="int-secret-title">
      <h2 id="int-secret-title">{t("int.secretTitle", { id: shown.subscription.id })}</h2>
      <Alert kind="info">
        <strong>{t("int.copyNow")}</strong> {t("int.once")}
      </Alert>
      <div class="field">
        <label for="int-secret-value">{t("int.secret")}</label>
        <input id="int-secret-value" class="key-value" readOnly value={shown.secret} onFocus={(e) => e.currentTarget.select()} />
      </div>
      <p>
        <button type="button" class="secondary" onClick={() => void copy(shown.secret)}>
          {t("int.copy")}
        </button>{" "}
        <span role="status">{copied}</span>
      </p>
    </section>
  );
}

function StatusCell({ s }: { s: SubscriptionView }) {
  const rotating = s.secrets.find((k) => k.expires_at);
  return (
    <>
      <span class={`int-status int-${s.status}`}>{t(`int.status.${s.status}`)}</span>
      {s.disabled_reason && <span class="muted"> · {t(`int.reason.${s.disabled_reason}`)}</span>}
      {s.failing_since && <div class="muted">{t("int.failingSince", { at: dateTime(s.failing_since) })}</div>}
      {rotating && <div class="muted">{t("int.rotating", { at: dateTime(rotating.expires_at) })}</div>}
    </>
  );
}

function SubscriptionTable(props: { items: SubscriptionView[]; changed: () => void; rotated: (made: WithSecret) => void }) {
  const [asking, setAsking] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  if (props.items.length === 0) return <p class="muted">{t("int.none")}</p>;
  async function act(step: () => Promise<unknown>, done?: string) {
    try {
      await step();
      setStatus(done ?? "");
      setAsking(null);
      props.changed();
    } catch (failure) {
      setStatus(errorText(failure));
    }
  }
  const columns = [t("int.col.url"), t("int.col.filters"), t("int.col.status"), t("int.col.lastSuccess"), t("int.col.actions")];
  return (
    <>
      <DataTable caption={t("int.caption")} columns={columns} class="int-table">
        {props.items.map((s) => (
          <tr key={s.id}>
            <th scope="row">
              <Link to={`integration/subscriptions/${s.id}`}>{s.url}</Link>
              <div class="muted">
                {s.id}
                {s.description && ` · ${s.description}`}
              </div>
            </th>
            <td>
              {s.types.length ? s.types.join(", ") : t("int.allTypes")}
              <div class="muted">{s.wards.length ? s.wards.join(", ") : t("int.allWards")}</div>
            </td>
            <td>
              <StatusCell s={s} />
            </td>
            <td>{s.last_success_at ? dateTime(s.last_success_at) : "—"}</td>
            <td class="int-actions">
              {s.status === "active" ? (
                <button type="button" class="secondary small" onClick={() => void act(() => pause(s.id))}>
                  {t("int.pause", { id: s.id })}
                </button>
              ) : (
                <button type="button" class="small" onClick={() => void act(() => resume(s.id))}>
                  {t("int.resume", { id: s.id })}
                </button>
              )}{" "}
              <button type="button" class="secondary small" onClick={() => void act(async () => props.rotated(await rotateSecret(s.id)))}>
                {t("int.rotate", { id: s.id })}
              </button>{" "}
              {asking === s.id ? (
                <span class="confirm">
                  {t("int.sure")}{" "}
                  <button type="button" class="danger small" onClick={() => void act(() => remove(s.id), t("int.deleted", { id: s.id }))}>
                    {t("int.deleteYes", { id: s.id })}
                  </button>{" "}
                  <button type="button" class="secondary small" onClick={() => setAsking(null)}>
                    {t("int.keep")}
                  </button>
                </span>
              ) : (
                <button type="button" class="secondary small" onClick={() => setAsking(s.id)}>
                  {t("int.delete", { id: s.id })}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <p role="status">{status}</p>
    </>
  );
}
