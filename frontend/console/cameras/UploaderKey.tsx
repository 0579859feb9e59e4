// An administrator gives a camera's gateway a new uploader key: shown this once, the old key
// stops working at once (a leaked or lost gateway key is replaced without touching the camera).
import { dateTime } from "@shared/format";
import { useBusy } from "@shared/forms";
import { t } from "@shared/i18n";
import { Alert } from "@shared/ui";
import { useState } from "preact/hooks";
import { type CameraView, rotateUploaderKey } from "./api";

export function UploaderKey({ camera }: { camera: CameraView }) {
  const state = useBusy();
  const [confirming, setConfirming] = useState(false);
  const [key, setKey] = useState("");
  const label = `${camera.camera_id} · ${camera.name}`;
  if (key) {
    return (
      <Alert kind="success">
        <span>{t("cam.key.new", { camera: camera.camera_id })}</span> <code class="cam-key">{key}</code>{" "}
        <span>{t("cam.key.once")}</span>
      </Alert>
    );
  }
  return (
    <div class="cam-key-actions">
      {camera.uploader_key_rotated_at && (
        <span class="muted">{t("cam.key.rotatedAt", { at: dateTime(camera.uploader_key_rotated_at) })} </span>
      )}
      {confirming ? (
        <>
          <button
            type="button"
            class="small"
            disabled={state.busy}
            aria-label={t("cam.key.confirmFor", { camera: label })}
            onClick={() => void state.run(async () => setKey((await rotateUploaderKey(camera.camera_id)).uploader_key))}
          >
            {t("cam.key.confirm")}
          </button>{" "}
          <button type="button" class="small secondary" onClick={() => setConfirming(false)}>
            {t("cam.key.cancel")}
          </button>
        </>
      ) : (
        <button
          type="button"
          class="small secondary"
          aria-label={t("cam.key.rotateFor", { camera: label })}
          onClick={() => setConfirming(true)}
        >
          {t("cam.key.rotate")}
        </button>
      )}
      {state.error && <Alert>{state.error}</Alert>}
    </div>
  );
}
