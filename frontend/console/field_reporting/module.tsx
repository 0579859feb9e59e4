// Field Reporting in the console: the queue, the map, one report, the statistics, the desk's
// inbox and the log of messages residents were sent. Each page's roles are its API route's.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { INBOX_READERS, LOG_READERS, READERS } from "./api";
import { Detail } from "./Detail";
import { DeliveryLog, StaffInbox, UnreadBadge } from "./Notifications";
import { Queue } from "./Queue";
import { ReportsMap } from "./ReportsMap";
import { Stats } from "./Stats";

const module: ConsoleModule = {
  id: "field_reporting",
  order: 10,
  nav: [
    { path: "reports", label: () => t("fr.nav.queue"), needs: READERS },
    { path: "map", label: () => t("fr.nav.map"), needs: READERS },
    { path: "stats", label: () => t("fr.nav.stats") },
    { path: "inbox", label: () => t("fr.nav.inbox"), needs: INBOX_READERS, badge: UnreadBadge },
    { path: "message-log", label: () => t("fr.nav.log"), needs: LOG_READERS },
  ],
  routes: [
    { pattern: "reports", render: () => <Queue />, needs: READERS },
    { pattern: "reports/:id", render: ({ id }) => <Detail key={id} id={id} />, needs: READERS },
    { pattern: "map", render: () => <ReportsMap />, needs: READERS },
    { pattern: "stats", render: () => <Stats /> },
    { pattern: "inbox", render: () => <StaffInbox />, needs: INBOX_READERS },
    { pattern: "message-log", render: () => <DeliveryLog />, needs: LOG_READERS },
  ],
};

export default module;
