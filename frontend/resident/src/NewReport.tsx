// Submit a report: category, its questions, place, photo, words. Safe to retry: one
// Idempotency-Key per form, so a double tap or a flaky network never makes two reports; with
// no signal the report waits on the phone (outbox.ts) and is sent when the connection returns.
import { type CategoryView, categories, PHOTO_TYPES } from "@shared/field_reporting";
import { t, useLang } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Alert, Failed, Loading, type Told, toldText, useAsync } from "@shared/ui";
import { useEffect, useMemo, useState } from "preact/hooks";
import { session } from "./account";
import { type Answers, AttributeFields, cleanAnswers } from "./AttributeFields";
import { LocationPicker, type Point } from "./LocationPicker";
import { Nearby, useNearby } from "./Nearby";
import { sendOrKeep } from "./outbox";

const MAX_DESCRIPTION = 4000;
const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export function NewReport() {
  const lang = useLang();
  const catalogue = useAsync(categories, [lang]);
  const signedIn = session.use();
  const [code, setCode] = useState("");
  const [answers, setAnswers] = useState<Answers>({});
  const [description, setDescription] = useState("");
  const [address, setAddress] = useState("");
  const [point, setPoint] = useState<Point | null>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState("");
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<Told>(null);
  const [key] = useState(() => crypto.randomUUID());

  const services = useMemo(
    () => catalogue.data?.groups.flatMap((group) => group.services) ?? [],
    [catalogue.data],
  );
  const service: CategoryView | undefined = services.find((s) => s.code === code);

  useEffect(() => {
    if (!photo) return setPreview("");
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  const nearby = useNearby(code, point);
  const similar = nearby.data ?? [];

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (!point) return setError({ key: "new.noLocation" });
    // Checked here too: a report kept offline is uploaded later, when no one looks at the form.
    if (photo && !PHOTO_TYPES.includes(photo.type)) return setError({ key: "photo.wrongType" });
    if (photo && photo.size > MAX_PHOTO_BYTES) return setError({ key: "photo.tooLarge", params: { mb: MAX_PHOTO_BYTES >> 20 } });
    setBusy("new.sending");
    const body = {
      service_code: code,
      lat: point.lat,
      long: point.long,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      attributes: service ? cleanAnswers(service.attributes, answers) : {},
      photos: [],
      ...(signedIn?.phone ? { contact: { phone: signedIn.phone } } : {}),
    };
    try {
      const created = await sendOrKeep({
        key,
        body,
        service: service?.name ?? code,
        photo,
        photoType: photo?.type ?? null,
        queued_at: new Date().toISOString(),
        error: null,
      });
      navigate(created ? `reports/${encodeURIComponent(created.id)}?sent=1` : "?queued=1");
    } catch (failure) {
      setError({ failure });
      setBusy("");
    }
  }

  if (catalogue.loading && !catalogue.data) return <Loading />;
  if (catalogue.error) return <Failed error={catalogue.error} retry={catalogue.reload} />;

  return (
    <form onSubmit={submit} class="report-form" noValidate={false}>
      <h1>{t("new.title")}</h1>
      <div class="field">
        <label for="category">
          {t("new.category")} <span class="muted">{t("new.required")}</span>
        </label>
        <select
          id="category"
          required
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            setAnswers({});
          }}
        >
          <option value="">{t("new.categoryChoose")}</option>
          {catalogue.data?.groups.map((group) => (
            <optgroup key={group.code} label={group.name}>
              {group.services.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {service?.notice && <p class="hint">{service.notice}</p>}
      </div>
      {service && <AttributeFields attributes={service.attributes} answers={answers} onChange={setAnswers} />}
      <LocationPicker value={point} onChange={setPoint} />
      <div class="field">
        <label for="address">{t("new.address")}</label>
        <input
          id="address"
          autocomplete="street-address"
          maxLength={500}
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="description">{t("new.description")}</label>
        <textarea
          id="description"
          maxLength={MAX_DESCRIPTION}
          aria-describedby="description-hint privacy-hint"
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
        <p class="hint" id="description-hint">
          {t("new.descriptionHint", { max: MAX_DESCRIPTION })}
        </p>
        <p class="hint" id="privacy-hint">
          {t("new.privacyHint")}
        </p>
      </div>
      <div class="field">
        <label for="photo">{t("new.photo")}</label>
        <input
          id="photo"
          type="file"
          accept="image/jpeg,image/png,image/webp,image/heic"
          capture="environment"
          aria-describedby="photo-hint"
          onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)}
        />
        <p class="hint" id="photo-hint">
          {t("new.photoHint")}
        </p>
        {preview && (
          <figure class="preview">
            <img src={preview} alt={t("new.photoPreview")} />
          </figure>
        )}
      </div>
      <Nearby items={similar} />
      {error && <Alert>{toldText(error)}</Alert>}
      {busy && (
        <p role="status" class="muted">
          {t(busy)}
        </p>
      )}
      <button type="submit" class="wide" disabled={!!busy}>
        {similar.length ? t("nearby.sendAnyway") : t("new.submit")}
      </button>
    </form>
  );
}
