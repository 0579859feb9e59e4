// An administrator's staff accounts: create one (its temporary password shown once, to hand
// over), disable or enable one, reset its authenticator, or give it a new temporary password. The API refuses (409) an
// administrator's own account and the last administrator's; its words are shown as they come.
import { useBusy } from "@shared/forms";
import { pick, t } from "@shared/i18n";
import { Alert, errorText, useCopy } from "@shared/ui";
import { useState } from "preact/hooks";
import {
  actOnStaff,
  type CreatedStaff,
  createStaff,
  type Grant,
  type RoleCatalogue,
  resetStaffPassword,
  type StaffAction,
  type StaffUser,
} from "./api";

export function NewAccount({ catalogue, onCreated }: { catalogue: RoleCatalogue; onCreated: () => void }) {
  const state = useBusy();
  const blank = { username: "", name: "", email: "", phone: "" };
  const [form, setForm] = useState(blank);
  const [role, setRole] = useState("");
  const [scope, setScope] = useState("");
  const [created, setCreated] = useState<CreatedStaff | null>(null);
  const staffRoles = catalogue.roles.filter((r) => r.pool === "staff");
  const kind = staffRoles.find((r) => r.name === role)?.scope ?? "city";
  const scopes = kind === "unit" ? catalogue.units : kind === "ward" ? catalogue.wards : [];
  const field = (name: keyof typeof blank) => ({
    id: `new-${name}`,
    value: form[name],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [name]: e.currentTarget.value }),
  });
  const submit = () =>
    void state.run(async () => {
      setCreated(null);
      const grants: Grant[] = role ? [{ role, scope: scopes.length ? scope || scopes[0].code : null }] : [];
      const phone = form.phone.trim();
      const account = { username: form.username.trim(), name: form.name.trim(), email: form.email.trim(), grants };
      setCreated(await createStaff(phone ? { ...account, phone } : account));
      setForm(blank);
      setRole("");
      onCreated();
    });
  return (
    <>
      <form
        class="card key-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2>{t("users.new")}</h2>
        <p class="muted">{t("users.newIntro")}</p>
        <div class="field">
          <label for="new-username">{t("users.newUsername")}</label>
          <input {...field("username")} required maxLength={64} autocomplete="off" aria-describedby="new-username-hint" />
          <p class="hint" id="new-username-hint">
            {t("users.newUsernameHint")}
          </p>
        </div>
        <div class="field">
          <label for="new-name">{t("users.newName")}</label>
          <input {...field("name")} required maxLength={128} autocomplete="off" />
        </div>
        <div class="field">
          <label for="new-email">{t("users.email")}</label>
          <input {...field("email")} type="email" required maxLength={254} autocomplete="off" aria-describedby="new-email-hint" />
          <p class="hint" id="new-email-hint">
            {t("users.emailHint")}
          </p>
        </div>
        <div class="field">
          <label for="new-phone">{t("users.phone")}</label>
          <input {...field("phone")} type="tel" maxLength={32} autocomplete="off" />
        </div>
        <div class="field">
          <label for="new-role">{t("users.firstRole")}</label>
          <select id="new-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="">{t("users.firstRoleNone")}</option>
            {staffRoles.map((r) => (
              <option key={r.name} value={r.name}>
                {pick(r.title)}
              </option>
            ))}
          </select>
        </div>
        {scopes.length > 0 && (
          <div class="field">
            <label for="new-scope">{t(kind === "ward" ? "users.ward" : "users.unit")}</label>
            <select id="new-scope" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
              {scopes.map((s) => (
                <option key={s.code} value={s.code}>
                  {pick(s.name)}
                </option>
              ))}
            </select>
          </div>
        )}
        {state.error && <Alert>{state.error}</Alert>}
        <button type="submit" disabled={state.busy}>
          {t("users.create")}
        </button>
      </form>
      {created && (
        <TemporaryPassword
          key={created.temporary_password}
          issued={created}
          id="staff-created"
          title={t("users.createdFor", { user: created.account.username })}
        />
      )}
    </>
  );
}

/** A temporary password shown this once (a new account's, or a new one for a lost password). */
function TemporaryPassword({ issued, id, title }: { issued: CreatedStaff; id: string; title: string }) {
  const [copied, copy] = useCopy("users.copied", "users.copyFailed");
  return (
    <section class="card key-created" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Alert kind="info">
        <strong>{t("users.copyNow")}</strong> {t("users.once", { days: issued.valid_days })}
      </Alert>
      <div class="field">
        <label for={`${id}-password`}>{t("users.temporary")}</label>
        <input
          id={`${id}-password`}
          class="key-value"
          readOnly
          value={issued.temporary_password}
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      <p>
        <button type="button" class="secondary" onClick={() => void copy(issued.temporary_password)}>
          {t("users.copy")}
        </button>{" "}
        <span role="status">{copied}</span>
      </p>
    </section>
  );
}

export function stateOf(user: StaffUser): string {
  if (!user.enabled) return t("users.disabled");
  return user.must_change_password ? t("users.pending") : t("users.active");
}

const WORDS: Record<StaffAction, { ask: string; sure: string; yes: string; done: string }> = {
  disable: { ask: "users.disable", sure: "users.sureDisable", yes: "users.yesDisable", done: "users.doneDisable" },
  enable: { ask: "users.enable", sure: "users.sureEnable", yes: "users.yesEnable", done: "users.doneEnable" },
  "mfa-reset": { ask: "users.resetMfa", sure: "users.sureReset", yes: "users.yesReset", done: "users.doneReset" },
  "password-reset": {
    ask: "users.resetPassword",
    sure: "users.surePassword",
    yes: "users.yesPassword",
    done: "users.donePassword",
  },
};

/** Disable or enable, reset the authenticator, give a new temporary password: each asks once
 * more before it is done. */
export function AccountActions({ user, onDone }: { user: StaffUser; onDone: (text: string) => void }) {
  const [asking, setAsking] = useState<StaffAction | null>(null);
  const [error, setError] = useState("");
  const [issued, setIssued] = useState<CreatedStaff | null>(null);
  const who = { user: user.username };
  async function act(action: StaffAction) {
    setError("");
    setIssued(null);
    try {
      if (action === "password-reset") setIssued(await resetStaffPassword(user.username));
      else await actOnStaff(user.username, action);
      setAsking(null);
      onDone(t(WORDS[action].done, who));
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  if (asking) {
    const words = WORDS[asking];
    return (
      <span class="confirm">
        {t(words.sure, who)}{" "}
        <button type="button" class="danger small" onClick={() => void act(asking)}>
          {t(words.yes, who)}
        </button>{" "}
        <button
          type="button"
          class="secondary small"
          onClick={() => {
            setAsking(null);
            setError("");
          }}
        >
          {t("users.keep")}
        </button>
        {error && <Alert>{error}</Alert>}
      </span>
    );
  }
  const offered: StaffAction[] = user.enabled ? ["disable", "mfa-reset", "password-reset"] : ["enable"];
  return (
    <>
      {offered.map((action) => (
        <button key={action} type="button" class="secondary small" onClick={() => setAsking(action)}>
          {t(WORDS[action].ask, who)}
        </button>
      ))}
      {issued && (
        <TemporaryPassword
          key={issued.temporary_password}
          issued={issued}
          id={`staff-password-${user.username}`}
          title={t("users.passwordFor", { user: user.username })}
        />
      )}
    </>
  );
}
