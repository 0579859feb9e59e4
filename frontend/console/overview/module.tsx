// The leader's overview ("Tổng quan"): where leaders and operators start, one tile per room.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { WATCHERS } from "./api";
import { OverviewPage } from "./Overview";

const module: ConsoleModule = {
  id: "overview",
  order: 5,
  home: ["leader", "operator"],
  nav: [{ path: "overview", label: () => t("ov.nav"), needs: WATCHERS }],
  routes: [{ pattern: "overview", render: () => <OverviewPage />, needs: WATCHERS }],
};

export default module;
