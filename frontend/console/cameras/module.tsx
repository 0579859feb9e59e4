// Security cameras in the console: the camera map with health, the incident queue with its
// evidence and operators' actions, and false-alarm rates per camera.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { IncidentQueue } from "./IncidentQueue";
import { CameraMap } from "./CameraMap";
import { CameraStats } from "./CameraStats";

const STAFF = "cameras.cameras.read";

const module: ConsoleModule = {
  id: "cameras",
  order: 20,
  nav: [
    { path: "camera-alerts", label: () => t("cam.nav.alerts"), needs: STAFF },
    { path: "cameras", label: () => t("cam.nav.map"), needs: STAFF },
    { path: "camera-stats", label: () => t("cam.nav.stats"), needs: STAFF },
  ],
  routes: [
    { pattern: "camera-alerts", render: () => <IncidentQueue />, needs: STAFF },
    { pattern: "cameras", render: () => <CameraMap />, needs: STAFF },
    { pattern: "camera-stats", render: () => <CameraStats />, needs: STAFF },
  ],
};

export default module;
