// Field Reporting in the console: the queue, the map, one report, the statistics.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { Detail } from "./Detail";
import { Queue } from "./Queue";
import { ReportsMap } from "./ReportsMap";
import { Stats } from "./Stats";

// Who may read reports (the API's STAFF_READ): administrators keep the catalogue, routing and
// keys, not the reports, so their console starts elsewhere instead of at a refused queue.
const READERS = ["operator", "unit_staff", "leader", "provincial"];

const module: ConsoleModule = {
  id: "field_reporting",
  order: 10,
  nav: [
    { path: "reports", label: () => t("fr.nav.queue"), roles: READERS },
    { path: "map", label: () => t("fr.nav.map"), roles: READERS },
    { path: "stats", label: () => t("fr.nav.stats") },
  ],
  routes: [
    { pattern: "reports", render: () => <Queue />, roles: READERS },
    { pattern: "reports/:id", render: ({ id }) => <Detail key={id} id={id} />, roles: READERS },
    { pattern: "map", render: () => <ReportsMap />, roles: READERS },
    { pattern: "stats", render: () => <Stats /> },
  ],
};

export default module;
