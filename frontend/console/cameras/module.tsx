// Security cameras in the console: the camera map with health, the alert queue with evidence
// and operators' actions, and false-alarm rates per camera.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { AlertQueue } from "./AlertQueue";
import { CameraMap } from "./CameraMap";
import { CameraStats } from "./CameraStats";

const STAFF = ["operator", "leader", "admin"];

const module: ConsoleModule = {
  id: "cameras",
  order: 20,
  nav: [
    { path: "camera-alerts", label: () => t("cam.nav.alerts"), roles: STAFF },
    { path: "cameras", label: () => t("cam.nav.map"), roles: STAFF },
    { path: "camera-stats", label: () => t("cam.nav.stats"), roles: STAFF },
  ],
  routes: [
    { pattern: "camera-alerts", render: () => <AlertQueue />, roles: STAFF },
    { pattern: "cameras", render: () => <CameraMap />, roles: STAFF },
    { pattern: "camera-stats", render: () => <CameraStats />, roles: STAFF },
  ],
};

export default module;
