// Administration in the console: the routing table (administrators change it; operators and
// leaders read it), Open311 API keys and the staff accounts. Roles are the API routes' own.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { ApiKeys } from "./ApiKeys";
import { Routing } from "./Routing";
import { Users } from "./Users";

const ADMIN = ["admin"];
const ROUTING_READERS = ["admin", "operator", "leader"];

const module: ConsoleModule = {
  id: "admin",
  order: 30,
  home: ADMIN,
  nav: [
    { path: "admin/routing", label: () => t("admin.nav.routing"), roles: ROUTING_READERS },
    { path: "admin/api-keys", label: () => t("admin.nav.keys"), roles: ADMIN },
    { path: "admin/users", label: () => t("admin.nav.users"), roles: ADMIN },
  ],
  routes: [
    { pattern: "admin/routing", render: () => <Routing />, roles: ROUTING_READERS },
    { pattern: "admin/api-keys", render: () => <ApiKeys />, roles: ADMIN },
    { pattern: "admin/users", render: () => <Users />, roles: ADMIN },
  ],
};

export default module;
