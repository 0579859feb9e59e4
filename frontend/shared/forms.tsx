// What every form of both apps does the same way: one request at a time, its error shown in
// the form, and the sign-in steps (a card with a title, fields, the error and one button).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { Alert, errorText } from "./ui";

export interface Busy {
  busy: boolean;
  error: string;
  /** A message: pass ``() => t("key")`` so that it follows the language switch while shown. */
  setError: (text: string | (() => string)) => void;
  /** Run one request; while it runs `busy` holds, and a failure becomes `error`. */
  run: (step: () => Promise<void>) => Promise<void>;
}

export function useBusy(): Busy {
  const [busy, setBusy] = useState(false);
  const [words, setWords] = useState<(() => string) | null>(null);
  // The failure itself is kept, and worded on each render: in the language shown now.
  const [failure, setFailure] = useState<unknown>(null);
  const setError = (value: string | (() => string)) => {
    setWords(() => (typeof value === "function" ? value : value ? () => value : null));
    setFailure(null);
  };
  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError("");
    try {
      await step();
    } catch (caught) {
      setFailure(caught ?? new Error());
    } finally {
      setBusy(false);
    }
  }
  return { busy, error: words?.() || (failure ? errorText(failure) : ""), setError, run };
}

/** One step of a sign-in: the title, its fields, the error if any, and the submit button. */
export function SignInStep(props: {
  class: string;
  title: string;
  state: Busy;
  submit: string;
  onSubmit: () => void;
  children: ComponentChildren;
  after?: ComponentChildren;
}) {
  return (
    <form
      class={props.class}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <h1>{props.title}</h1>
      {props.children}
      {props.state.error && <Alert>{props.state.error}</Alert>}
      <button type="submit" class="wide" disabled={props.state.busy}>
        {props.submit}
      </button>
      {props.after}
    </form>
  );
}

/** A six-digit one-time code (SMS or authenticator), with the hint that says where it is. */
export function CodeField(props: { id: string; label: string; hint: string; value: string; onInput: (v: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        aria-describedby={`${props.id}-hint`}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
    </div>
  );
}
