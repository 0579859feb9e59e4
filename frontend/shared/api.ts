// The API lives on the page's own origin (/api/*, /open311/*), locally and behind CloudFront.
import { getLang, t } from "./i18n";

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly detail: string | null = null, // "tiếng Việt / English" as the API said it
    readonly problem: Record<string, unknown> = {}, // the whole problem document (its extra members)
  ) {
    super(message);
  }

  /** The message in the language shown now (the switch may have changed since it came). */
  get said(): string {
    return this.detail ? halfOf(this.detail) : this.message;
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

let tokenSource: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

/** The signed-in session lends its bearer token to every call. */
export function useToken(source: () => string | null, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** One call with the session's token: the answer when it is a success, else the problem. */
async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    "Accept-Language": getLang(),
    ...options.headers,
  };
  const token = tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    // A file sent as it is (an import): its type is the file's unless the caller names one.
    headers["Content-Type"] ??= options.body.type || "application/octet-stream";
    body = options.body;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? "GET",
      headers,
      body,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, t("error.network"));
  }
  if (response.status === 401 && token) onUnauthorized();
  if (!response.ok) throw await problem(response);
  return response;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await reply<T>(path, options)).body;
}

/** The answer with its status, for a page that tells 201 (made) from 200 (nothing changed). */
export async function reply<T>(path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  const response = await send(path, options);
  if (response.status === 204) return { status: 204, body: undefined as T };
  const type = response.headers.get("content-type") ?? "";
  const body = (type.includes("json") ? await response.json() : await response.text()) as T;
  return { status: response.status, body };
}

async function problem(response: Response): Promise<ApiError> {
  try {
    const doc = await response.json();
    // Problem details say "tiếng Việt / English": show the half in the page's language.
    const detail: string = doc.detail ?? doc.message ?? doc.title ?? response.statusText;
    return new ApiError(response.status, halfOf(detail), doc.errors ?? [], detail, doc);
  } catch {
    return new ApiError(response.status, `${response.status} ${response.statusText}`);
  }
}

export function halfOf(text: string): string {
  const parts = text.split(" / ");
  if (parts.length !== 2) return text;
  return getLang() === "vi" ? parts[0] : parts[1];
}

/** The table files the API makes (exports, templates), by the format the API names. */
export const TABLE_TYPES = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
export type TableFormat = keyof typeof TABLE_TYPES;

/** A file the API makes (an export): fetched with the session's token, then saved by the
 * browser under the name the API gives (Content-Disposition), or ``fallback``. */
export async function download(path: string, query: Query, accept: string, fallback: string): Promise<void> {
  const response = await send(path, { query, headers: { Accept: `${accept}, application/problem+json` } });
  const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = named?.[1] ?? fallback;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const get = <T>(path: string, query?: Query) => request<T>(path, { query });
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  request<T>(path, { method: "POST", body: body ?? {}, headers });
export const put = <T>(path: string, body: unknown) => request<T>(path, { method: "PUT", body });

/** A presigned POST the API hands out: the browser sends the file straight to storage. */
export interface UploadTicket {
  key: string;
  url: string;
  fields: Record<string, string>;
  expires_in: number;
  max_bytes: number;
}

/** Sends ``file`` with the ticket's fields (storage checks its size and type); ``failed`` is
 * the message when storage refuses it or cannot be reached. */
export async function sendToStorage(ticket: UploadTicket, file: File, failed: string): Promise<string> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", file);
  let response: Response;
  try {
    response = await fetch(ticket.url, { method: "POST", body: form });
  } catch {
    throw new Error(failed);
  }
  if (!response.ok) throw new Error(failed);
  return ticket.key;
}
