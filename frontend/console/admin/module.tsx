// Administration in the console: the routing table (administrators change it; operators and
// leaders read it), Open311 API keys, the staff accounts and the audit log (administrators and
// leaders). Roles are the API routes' own.
import "./messages";
import "./styles.css";
import { t } from "@shared/i18n";
import type { ConsoleModule } from "../shell/modules";
import { ApiKeys } from "./ApiKeys";
import { Audit } from "./Audit";
import { Routing } from "./Routing";
import { Users } from "./Users";

const ROUTING_READERS = "field_reporting.routing.read";
const KEYS = "platform.api_keys.manage";
const STAFF = "identity.staff.read";
const AUDIT = "platform.audit.read";

const module: ConsoleModule = {
  id: "admin",
  order: 30,
  home: ["admin"],
  nav: [
    { path: "admin/routing", label: () => t("admin.nav.routing"), needs: ROUTING_READERS },
    { path: "admin/api-keys", label: () => t("admin.nav.keys"), needs: KEYS },
    { path: "admin/users", label: () => t("admin.nav.users"), needs: STAFF },
    { path: "admin/audit", label: () => t("admin.nav.audit"), needs: AUDIT },
  ],
  routes: [
    { pattern: "admin/routing", render: () => <Routing />, needs: ROUTING_READERS },
    { pattern: "admin/api-keys", render: () => <ApiKeys />, needs: KEYS },
    { pattern: "admin/users", render: () => <Users />, needs: STAFF },
    { pattern: "admin/audit", render: () => <Audit />, needs: AUDIT },
  ],
};

export default module;
