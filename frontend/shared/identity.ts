// Signing in against /api/v1/auth: locally the dev identity provider, in AWS the same
// Cognito-shaped flows (phone + one-time code for residents; password + TOTP for staff).
import { get, post } from "./api";
import type { Session, SessionStore } from "./session";

export const AUTH = {
  otpStart: "/api/v1/auth/otp/start",
  otpVerify: "/api/v1/auth/otp/verify",
  staffSignIn: "/api/v1/auth/staff/sign-in",
  mfa: "/api/v1/auth/staff/mfa",
  newPassword: "/api/v1/auth/staff/new-password",
  mfaSetup: "/api/v1/auth/staff/mfa-setup",
  me: "/api/v1/me",
};

export interface OtpStarted {
  phone: string;
  expires_in: number;
  delivery: "sms" | "console";
  /** Cognito's sign-in session (in AWS): sent back with the code. */
  session?: string | null;
}

/** What a staff sign-in asks next: the authenticator's code; at a first sign-in a new password
 * for the temporary one, then an authenticator to set up with ``secret_code``. */
export interface MfaChallenge {
  challenge: "SOFTWARE_TOKEN_MFA" | "NEW_PASSWORD_REQUIRED" | "MFA_SETUP";
  session: string;
  expires_in: number;
  secret_code?: string | null;
  otpauth_uri?: string | null;
}

interface TokenSet {
  access_token: string;
  id_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
}

export interface Me {
  sub: string;
  role: string;
  roles: string[];
  permissions: string[];
  username: string | null;
  name: string | null;
  phone: string | null;
  unit: string | null;
  unit_name: string | null;
  operations: string[];
}

export const startOtp = (phone: string) => post<OtpStarted>(AUTH.otpStart, { phone });
export const staffPassword = (username: string, password: string) =>
  post<MfaChallenge>(AUTH.staffSignIn, { username, password });

export async function verifyOtp(
  store: SessionStore,
  phone: string,
  code: string,
  challenge?: Pick<OtpStarted, "session">,
): Promise<Session> {
  const session = challenge?.session ?? undefined;
  return establish(store, await post<TokenSet>(AUTH.otpVerify, { phone, code, session }));
}

export async function answerMfa(store: SessionStore, session: string, code: string): Promise<Session> {
  return establish(store, await post<TokenSet>(AUTH.mfa, { session, code }));
}

export const newPassword = (session: string, new_password: string) =>
  post<MfaChallenge>(AUTH.newPassword, { session, new_password });

/** The first code of the authenticator just set up signs in. */
export async function finishMfaSetup(store: SessionStore, session: string, code: string): Promise<Session> {
  return establish(store, await post<TokenSet>(AUTH.mfaSetup, { session, code }));
}

/** Keep the access token, then ask the API who we are and what we may do. */
async function establish(store: SessionStore, tokens: TokenSet): Promise<Session> {
  const expires = new Date(Date.now() + tokens.expires_in * 1000).toISOString();
  store.set({ token: tokens.access_token, subject: "", roles: [], expires_at: expires });
  try {
    const me = await get<Me>(AUTH.me);
    const session: Session = {
      token: tokens.access_token,
      subject: me.sub,
      name: me.name ?? me.username,
      username: me.username,
      phone: me.phone,
      roles: me.roles,
      permissions: me.permissions,
      unit: me.unit,
      unit_name: me.unit_name,
      operations: me.operations,
      expires_at: expires,
    };
    store.set(session);
    return session;
  } catch (error) {
    store.set(null);
    throw error;
  }
}
