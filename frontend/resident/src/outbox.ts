// Reports written without a signal: kept on the phone (IndexedDB, photo included) with the
// Idempotency-Key made when the form was opened, and sent when the connection returns or the
// app starts. The API answers a repeated key with the first report, so a send that reached the
// server but whose reply was lost is never a second report.
import { ApiError, post } from "@shared/api";
import type { TrackingView } from "@shared/field_reporting";
import { uploadPhoto } from "@shared/field_reporting";
import { rememberSent } from "./account";

export interface Waiting {
  key: string; // the Idempotency-Key: one per report, whatever the number of tries
  body: Record<string, unknown>;
  service: string; // the category's name when it was written, for the list
  photo: Blob | null; // uploaded (then dropped) before the report is sent
  photoType: string | null;
  queued_at: string;
  error: string | null; // the API refused it (a 4xx): kept for the resident to see
}

const DB = "ioc-app";
const STORE = "outbox";
const listeners = new Set<() => void>();

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function changed(): void {
  for (const listener of listeners) listener();
}

export async function waiting(): Promise<Waiting[]> {
  const all = await run("readonly", (store) => store.getAll() as IDBRequest<Waiting[]>);
  return all.sort((a, b) => a.queued_at.localeCompare(b.queued_at));
}

export async function keep(entry: Waiting): Promise<void> {
  await run("readwrite", (store) => store.put(entry));
  changed();
}

export async function discard(key: string): Promise<void> {
  await run("readwrite", (store) => store.delete(key));
  changed();
}

export function onOutbox(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** A failure worth trying again later: no connection (status 0), or the server's own trouble. */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError ? error.status === 0 || error.status >= 500 : !navigator.onLine;
}

let flushing: Promise<number> | null = null;
const inFlight = new Set<string>(); // keys being sent now: never two sends of one at once

/** Keep the report, then try to send it now: the report the API made, or null when it waits
 * for the connection. A refusal (a 4xx) is thrown and nothing is kept: the form shows it. */
export async function sendOrKeep(entry: Waiting): Promise<TrackingView | null> {
  await keep(entry);
  try {
    return await send(entry);
  } catch (error) {
    if (isTransient(error)) return null;
    await discard(entry.key);
    throw error;
  }
}

/** Send what waits, oldest first; how many were sent. One run at a time: `online` and the
 * app's start may both ask at once. */
export function flush(): Promise<number> {
  flushing ??= sendAll().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendAll(): Promise<number> {
  let sent = 0;
  for (const entry of await waiting()) {
    if (entry.error || inFlight.has(entry.key)) continue;
    try {
      await send(entry);
      sent += 1;
    } catch (error) {
      if (isTransient(error)) break; // still offline: the rest waits too
      await keep({ ...entry, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return sent;
}

async function send(entry: Waiting): Promise<TrackingView> {
  inFlight.add(entry.key);
  try {
    return await sendOnce(entry);
  } finally {
    inFlight.delete(entry.key);
  }
}

async function sendOnce(entry: Waiting): Promise<TrackingView> {
  let current = entry;
  if (current.photo) {
    // The photo's key goes in the body before the report is sent: a retry then sends the very
    // same body, which the API needs to recognise the key as the same report.
    const name = `photo.${(current.photoType ?? "image/jpeg").split("/")[1]}`;
    const key = await uploadPhoto(new File([current.photo], name, { type: current.photoType ?? "image/jpeg" }));
    const photos = [...((current.body.photos as string[] | undefined) ?? []), key];
    current = { ...current, body: { ...current.body, photos }, photo: null, photoType: null };
    await keep(current);
  }
  const created = await post<TrackingView>("/api/v1/reports", current.body, { "Idempotency-Key": current.key });
  rememberSent(created.id);
  await discard(current.key);
  return created;
}
