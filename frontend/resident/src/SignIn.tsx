// Sign in by phone: a one-time code, sent by SMS in AWS (shown on screen by the dev provider).
import { t } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Alert, errorText } from "@shared/ui";
import { useState } from "preact/hooks";
import { type OtpStarted, startOtp, verifyOtp } from "@shared/identity";
import { MOBILE, normalisePhone, session } from "./account";

export function SignIn() {
  const [phone, setPhone] = useState("");
  const [challenge, setChallenge] = useState<OtpStarted | null>(null);
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

  if (!challenge) {
    return (
      <form
        class="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          const clean = normalisePhone(phone);
          if (!MOBILE.test(clean)) return setError(t("signin.phoneInvalid"));
          void run(async () => setChallenge(await startOtp(clean)));
        }}
      >
        <h1>{t("signin.title")}</h1>
        <div class="field">
          <label for="phone">{t("signin.phone")}</label>
          <input
            id="phone"
            type="tel"
            inputMode="tel"
            autocomplete="tel"
            required
            aria-describedby="phone-hint"
            value={phone}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
          <p class="hint" id="phone-hint">
            {t("signin.phoneHint")}
          </p>
        </div>
        {error && <Alert>{error}</Alert>}
        <button type="submit" class="wide" disabled={busy}>
          {t("signin.sendCode")}
        </button>
      </form>
    );
  }
  return (
    <form
      class="narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await verifyOtp(session, normalisePhone(phone), code.trim());
          navigate("", { replace: true });
        });
      }}
    >
      <h1>{t("signin.title")}</h1>
      {challenge.delivery === "console" && <Alert kind="info">{t("signin.devCode")}</Alert>}
      <div class="field">
        <label for="code">{t("signin.code")}</label>
        <input
          id="code"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          aria-describedby="code-hint"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
        <p class="hint" id="code-hint">
          {t("signin.codeHint", { phone: challenge.phone })}
        </p>
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class="wide" disabled={busy}>
        {t("signin.submit")}
      </button>
    </form>
  );
}
