// The signed-in person, kept in this browser; the API says who they are and what they may do.
import { useEffect, useState } from "preact/hooks";
import { useToken } from "./api";

export interface Session {
  token: string;
  subject: string;
  name?: string | null;
  username?: string | null; // staff: the directory's username (what assignments name)
  phone?: string | null;
  roles: string[];
  permissions?: string[]; // what the roles allow (GET /api/v1/me), as the API checks them
  unit?: string | null;
  unit_name?: string | null;
  operations?: string[];
  expires_at?: string | null;
}

export interface SessionStore {
  get(): Session | null;
  set(session: Session | null): void;
  use(): Session | null;
}

export function sessionStore(key: string): SessionStore {
  const listeners = new Set<(s: Session | null) => void>();
  let current: Session | null = read();

  function read(): Session | null {
    try {
      const raw = localStorage.getItem(key);
      const parsed = raw ? (JSON.parse(raw) as Session) : null;
      if (parsed?.expires_at && new Date(parsed.expires_at).getTime() < Date.now()) return null;
      return parsed;
    } catch {
      return null;
    }
  }

  function set(session: Session | null): void {
    current = session;
    if (session) localStorage.setItem(key, JSON.stringify(session));
    else localStorage.removeItem(key);
    for (const listener of listeners) listener(session);
  }

  useToken(
    () => current?.token ?? null,
    () => set(null),
  );

  return {
    get: () => current,
    set,
    use() {
      const [session, setSession] = useState(current);
      useEffect(() => {
        listeners.add(setSession);
        return () => void listeners.delete(setSession);
      }, []);
      return session;
    },
  };
}
