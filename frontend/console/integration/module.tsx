// Provincial integration in the console: the administrators' subscriptions for the province's
// systems, each one's delivery log and its parked deliveries. Roles are the API routes' own.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { SubscriptionDetail } from "./SubscriptionDetail";
import { Subscriptions } from "./Subscriptions";

const MANAGE = "integration.subscriptions.manage";

const module: ConsoleModule = {
  id: "integration",
  order: 35,
  nav: [{ path: "integration/subscriptions", label: () => t("int.nav"), needs: MANAGE }],
  routes: [
    { pattern: "integration/subscriptions", render: () => <Subscriptions />, needs: MANAGE },
    { pattern: "integration/subscriptions/:id", render: (p) => <SubscriptionDetail id={p.id} />, needs: MANAGE },
  ],
};

export default module;
