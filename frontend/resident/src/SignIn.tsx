// Sign in by phone: a one-time code, sent by SMS in AWS (shown on screen by the dev provider).
import { CodeField, SignInStep, useBusy } from "@shared/forms";
import { type OtpStarted, startOtp, verifyOtp } from "@shared/identity";
import { t } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Alert } from "@shared/ui";
import { useState } from "preact/hooks";
import { MOBILE, normalisePhone, session } from "./account";

export function SignIn() {
  const [phone, setPhone] = useState("");
  const [challenge, setChallenge] = useState<OtpStarted | null>(null);
  const [code, setCode] = useState("");
  const state = useBusy();

  if (!challenge) {
    return (
      <SignInStep
        class="narrow"
        title={t("signin.title")}
        state={state}
        submit={t("signin.sendCode")}
        onSubmit={() => {
          const clean = normalisePhone(phone);
          if (!MOBILE.test(clean)) return state.setError(() => t("signin.phoneInvalid"));
          void state.run(async () => setChallenge(await startOtp(clean)));
        }}
      >
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
      </SignInStep>
    );
  }
  return (
    <SignInStep
      class="narrow"
      title={t("signin.title")}
      state={state}
      submit={t("signin.submit")}
      onSubmit={() =>
        void state.run(async () => {
          await verifyOtp(session, normalisePhone(phone), code.trim(), challenge);
          navigate("", { replace: true });
        })
      }
    >
      {challenge.delivery === "console" && <Alert kind="info">{t("signin.devCode")}</Alert>}
      <CodeField
        id="code"
        label={t("signin.code")}
        hint={t("signin.codeHint", { phone: challenge.phone })}
        value={code}
        onInput={setCode}
      />
    </SignInStep>
  );
}
