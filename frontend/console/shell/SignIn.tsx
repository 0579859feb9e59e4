import { answerMfa, type MfaChallenge, staffPassword } from "@shared/identity";
import { t } from "@shared/i18n";
import { Alert, errorText } from "@shared/ui";
import { useState } from "preact/hooks";
import { isStaff, session } from "./auth";

export function SignIn() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError("");
    try {
      await step();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  const passwordStep = (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => setChallenge(await staffPassword(username.trim(), password)));
      }}
    >
      <h1>{t("signin.title")}</h1>
      <div class="field">
        <label for="username">{t("signin.username")}</label>
        <input id="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="password">{t("signin.password")}</label>
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class="wide" disabled={busy}>
        {t("signin.next")}
      </button>
    </form>
  );

  const codeStep = (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const signedIn = await answerMfa(session, challenge?.session ?? "", code.trim());
          if (!isStaff(signedIn.roles)) {
            session.set(null);
            setChallenge(null);
            setError(t("signin.staffOnly"));
          }
        });
      }}
    >
      <h1>{t("signin.title")}</h1>
      <div class="field">
        <label for="totp">{t("signin.totp")}</label>
        <input
          id="totp"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          aria-describedby="totp-hint"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
        <p class="hint" id="totp-hint">
          {t("signin.totpHint")}
        </p>
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class="wide" disabled={busy}>
        {t("signin.submit")}
      </button>
      <button type="button" class="link" onClick={() => setChallenge(null)}>
        {t("signin.back")}
      </button>
    </form>
  );

  return <div class="signin">{challenge ? codeStep : passwordStep}</div>;
}
