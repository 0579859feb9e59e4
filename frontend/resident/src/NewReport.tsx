// Submit a report: category, its questions, place, photo, words. Safe to retry: one
// Idempotency-Key per form, so a double tap or a flaky network never makes two reports.
import { post } from "@shared/api";
import { type CategoryView, categories, type TrackingView, uploadPhoto } from "@shared/field_reporting";
import { t, useLang } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Alert, errorText, Failed, Loading, useAsync } from "@shared/ui";
import { useEffect, useMemo, useState } from "preact/hooks";
import { rememberSent, session } from "./account";
import { type Answers, AttributeFields, cleanAnswers } from "./AttributeFields";
import { LocationPicker, type Point } from "./LocationPicker";

const MAX_DESCRIPTION = 4000;

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
  const [error, setError] = useState("");
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

  async function submit(event: Event) {
    event.preventDefault();
    setError("");
    if (!point) return setError(t("new.noLocation"));
    try {
      const photos: string[] = [];
      if (photo) {
        setBusy(t("new.uploading"));
        photos.push(await uploadPhoto(photo));
      }
      setBusy(t("new.sending"));
      const body = {
        service_code: code,
        lat: point.lat,
        long: point.long,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        attributes: service ? cleanAnswers(service.attributes, answers) : {},
        photos,
        ...(signedIn?.phone ? { contact: { phone: signedIn.phone } } : {}),
      };
      const created = await post<TrackingView>("/api/v1/reports", body, { "Idempotency-Key": key });
      rememberSent(created.id);
      navigate(`reports/${encodeURIComponent(created.id)}?sent=1`);
    } catch (failure) {
      setError(errorText(failure));
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
      {error && <Alert>{error}</Alert>}
      {busy && (
        <p role="status" class="muted">
          {busy}
        </p>
      )}
      <button type="submit" class="wide" disabled={!!busy}>
        {t("new.submit")}
      </button>
    </form>
  );
}
