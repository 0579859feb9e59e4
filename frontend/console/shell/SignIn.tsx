// The console's sign-in, as Cognito's staff pool asks it: the password, then the
// authenticator's code. An account's first sign-in replaces the temporary password an
// administrator handed over, then sets up an authenticator (as after an MFA reset).
import { CodeField, SignInStep, useBusy } from "@shared/forms";
import { answerMfa, finishMfaSetup, type MfaChallenge, newPassword, staffPassword } from "@shared/identity";
import type { Session } from "@shared/session";
import { t } from "@shared/i18n";
import { useState } from "preact/hooks";
import { isStaff, session } from "./auth";

export function SignIn() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [code, setCode] = useState("");
  const [fresh, setFresh] = useState("");
  const [again, setAgain] = useState("");
  const state = useBusy();
  const restart = () => {
    setChallenge(null);
    setCode("");
  };
  const back = (
    <button type="button" class="link" onClick={restart}>
      {t("signin.back")}
    </button>
  );
  const signedIn = (who: Session) => {
    if (!isStaff(who.roles)) {
      session.set(null);
      restart();
      state.setError(() => t("signin.staffOnly"));
    }
  };

  const passwordStep = (
    <SignInStep
      class="card"
      title={t("signin.title")}
      state={state}
      submit={t("signin.next")}
      onSubmit={() =>
        void state.run(async () => {
          setChallenge(await staffPassword(username.trim(), password));
          setPassword("");
        })
      }
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

  const newPasswordStep = (
    <SignInStep
      class="card"
      title={t("signin.newTitle")}
      state={state}
      submit={t("signin.next")}
      onSubmit={() =>
        void state.run(async () => {
          if (fresh !== again) {
            state.setError(() => t("signin.newPasswordMismatch"));
            return;
          }
          setChallenge(await newPassword(challenge?.session ?? "", fresh));
          setFresh("");
          setAgain("");
        })
      }
      after={back}
    >
      <p>{t("signin.newIntro")}</p>
      <input type="hidden" autocomplete="username" value={username.trim()} />
      <div class="field">
        <label for="new-password">{t("signin.newPassword")}</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          minLength={12}
          aria-describedby="new-password-hint"
          value={fresh}
          onInput={(e) => setFresh(e.currentTarget.value)}
        />
        <p class="hint" id="new-password-hint">
          {t("signin.newPasswordHint")}
        </p>
      </div>
      <div class="field">
        <label for="new-password-again">{t("signin.newPasswordAgain")}</label>
        <input
          id="new-password-again"
          type="password"
          autocomplete="new-password"
          required
          value={again}
          onInput={(e) => setAgain(e.currentTarget.value)}
        />
      </div>
    </SignInStep>
  );

  const setupStep = (
    <SignInStep
      class="card"
      title={t("signin.setupTitle")}
      state={state}
      submit={t("signin.setupSubmit")}
      onSubmit={() => void state.run(async () => signedIn(await finishMfaSetup(session, challenge?.session ?? "", code.trim())))}
      after={back}
    >
      <p>{t("signin.setupIntro")}</p>
      <div class="field">
        <label for="totp-secret">{t("signin.setupSecret")}</label>
        <input id="totp-secret" class="key-value" readOnly value={challenge?.secret_code ?? ""} onFocus={(e) => e.currentTarget.select()} />
      </div>
      {challenge?.otpauth_uri && (
        <p>
          <a href={challenge.otpauth_uri}>{t("signin.setupLink")}</a>
        </p>
      )}
      <CodeField id="totp-setup" label={t("signin.setupCode")} hint={t("signin.setupCodeHint")} value={code} onInput={setCode} />
    </SignInStep>
  );

  const codeStep = (
    <SignInStep
      class="card"
      title={t("signin.title")}
      state={state}
      submit={t("signin.submit")}
      onSubmit={() => void state.run(async () => signedIn(await answerMfa(session, challenge?.session ?? "", code.trim())))}
      after={back}
    >
      <CodeField id="totp" label={t("signin.totp")} hint={t("signin.totpHint")} value={code} onInput={setCode} />
    </SignInStep>
  );

  const step =
    challenge?.challenge === "NEW_PASSWORD_REQUIRED"
      ? newPasswordStep
      : challenge?.challenge === "MFA_SETUP"
        ? setupStep
        : challenge
          ? codeStep
          : passwordStep;
  return <div class="signin">{step}</div>;
}
