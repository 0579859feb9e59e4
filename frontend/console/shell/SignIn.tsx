import { CodeField, SignInStep, useBusy } from "@shared/forms";
import { answerMfa, type MfaChallenge, staffPassword } from "@shared/identity";
import { t } from "@shared/i18n";
import { useState } from "preact/hooks";
import { isStaff, session } from "./auth";

export function SignIn() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [code, setCode] = useState("");
  const state = useBusy();

  const passwordStep = (
    <SignInStep
      class="card"
      title={t("signin.title")}
      state={state}
      submit={t("signin.next")}
      onSubmit={() => void state.run(async () => setChallenge(await staffPassword(username.trim(), password)))}
    >
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
    </SignInStep>
  );

  const codeStep = (
    <SignInStep
      class="card"
      title={t("signin.title")}
      state={state}
      submit={t("signin.submit")}
      onSubmit={() =>
        void state.run(async () => {
          const signedIn = await answerMfa(session, challenge?.session ?? "", code.trim());
          if (!isStaff(signedIn.roles)) {
            session.set(null);
            setChallenge(null);
            state.setError(t("signin.staffOnly"));
          }
        })
      }
      after={
        <button type="button" class="link" onClick={() => setChallenge(null)}>
          {t("signin.back")}
        </button>
      }
    >
      <CodeField id="totp" label={t("signin.totp")} hint={t("signin.totpHint")} value={code} onInput={setCode} />
    </SignInStep>
  );

  return <div class="signin">{challenge ? codeStep : passwordStep}</div>;
}
