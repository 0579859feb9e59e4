// The socio-economic room in the console: the indicator dashboard and one indicator's page,
// entry and approval of figures, the task board and the meeting pack. Each page's permission
// is its API route's.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { APPROVE, ENTER, MAKE_PACKS, READ, READ_TASKS } from "./api";
import { Approvals } from "./Approvals";
import { Dashboard } from "./Dashboard";
import { Entry } from "./Entry";
import { IndicatorView } from "./Indicator";
import { MeetingPack } from "./MeetingPack";
import { TaskBoard } from "./Tasks";

const module: ConsoleModule = {
  id: "socio_economic",
  order: 30,
  home: ["statistics_officer"],
  nav: [
    { path: "indicators", label: () => t("se.nav.indicators"), needs: READ },
    { path: "indicator-entry", label: () => t("se.nav.entry"), needs: ENTER },
    { path: "indicator-approvals", label: () => t("se.nav.approvals"), needs: APPROVE },
    { path: "tasks", label: () => t("se.nav.tasks"), needs: READ_TASKS },
    { path: "meeting-pack", label: () => t("se.nav.pack"), needs: MAKE_PACKS },
  ],
  routes: [
    { pattern: "indicators", render: () => <Dashboard />, needs: READ },
    { pattern: "indicators/:code", render: ({ code }) => <IndicatorView key={code} code={code} />, needs: READ },
    { pattern: "indicator-entry", render: () => <Entry />, needs: ENTER },
    { pattern: "indicator-approvals", render: () => <Approvals />, needs: APPROVE },
    { pattern: "tasks", render: () => <TaskBoard />, needs: READ_TASKS },
    { pattern: "meeting-pack", render: () => <MeetingPack />, needs: MAKE_PACKS },
  ],
};

export default module;
