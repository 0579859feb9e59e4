// Field Reporting in the console: the queue, the map, one report, the statistics.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { Detail } from "./Detail";
import { Queue } from "./Queue";
import { ReportsMap } from "./ReportsMap";
import { Stats } from "./Stats";

const module: ConsoleModule = {
  id: "field_reporting",
  order: 10,
  nav: [
    { path: "reports", label: () => t("fr.nav.queue") },
    { path: "map", label: () => t("fr.nav.map") },
    { path: "stats", label: () => t("fr.nav.stats") },
  ],
  routes: [
    { pattern: "reports", render: () => <Queue /> },
    { pattern: "reports/:id", render: ({ id }) => <Detail key={id} id={id} /> },
    { pattern: "map", render: () => <ReportsMap /> },
    { pattern: "stats", render: () => <Stats /> },
  ],
};

export default module;
