// The routing table in force (category × ward → unit), for administrators, operators and
// leaders; administrators also edit their own rules, which override the data file's.
import { pick, t, useLang } from "@shared/i18n";
import { DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import { lookups } from "../field_reporting/api";
import { type RoutingRuleView, type RoutingView, routing } from "./api";
import { RoutingEditor } from "./RoutingEditor";

type Lookups = Awaited<ReturnType<typeof lookups>>;

/** Names for the codes a rule holds, in the page's language (the code when a name is missing). */
export interface Namer {
  category: (code: string) => string;
  ward: (code: string | null) => string;
  unit: (code: string) => string;
}

export function namer(data: Lookups | undefined): Namer {
  const categories = new Map(data?.categories.map((c) => [c.code, c.name]));
  const wards = new Map(data?.wards.map((w) => [w.code, pick(w.name)]));
  const units = new Map(data?.units.map((u) => [u.code, pick(u.name)]));
  const known = (key: string) => (t(key) === key ? undefined : t(key));
  return {
    category: (code) => categories.get(code) ?? code,
    ward: (code) => (code === null ? t("routing.everyWard") : (wards.get(code) ?? code)),
    // The catalogue names ward units by kind ("the ward's People's Committee"), not one unit.
    unit: (code) => units.get(code) ?? known(`routing.unit.${code}`) ?? code,
  };
}

export function Routing() {
  const lang = useLang();
  const admin = useCan("field_reporting.routing.manage");
  const loaded = useAsync(routing, []);
  const names = useAsync(lookups, [lang]);
  const [saved, setSaved] = useState<RoutingView | null>(null);
  const view = saved ?? loaded.data;
  const name = namer(names.data);
  return (
    <>
      <h1>{t("routing.title")}</h1>
      <p class="muted">{t("routing.intro")}</p>
      {(loaded.loading || names.loading) && !(view && names.data) && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {names.error ? <Failed error={names.error} retry={names.reload} /> : null}
      {view && names.data && (
        <>
          {admin && <RoutingEditor view={view} lookup={names.data} name={name} onSaved={setSaved} />}
          <RulesInForce view={view} name={name} />
        </>
      )}
    </>
  );
}

const SOURCE_ORDER = { catalogue: 0, data: 1, admin: 2 };

function RulesInForce({ view, name }: { view: RoutingView; name: Namer }) {
  const sorted = [...view.rules].sort(
    (a, b) =>
      name.category(a.service_code).localeCompare(name.category(b.service_code)) ||
      SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] ||
      name.ward(a.ward_code).localeCompare(name.ward(b.ward_code)),
  );
  return (
    <section aria-labelledby="in-force-title">
      <h2 id="in-force-title">{t("routing.inForce")}</h2>
      <p class="muted">{t("routing.precedence", { version: view.version })}</p>
      <DataTable
        class="routing-table"
        caption={t("routing.caption")}
        columns={[t("report.category"), t("report.ward"), t("routing.unit"), t("routing.source")]}
      >
        {sorted.map((rule: RoutingRuleView) => (
          <tr key={`${rule.source}:${rule.service_code}:${rule.ward_code ?? "*"}`} class={`source-${rule.source}`}>
            <th scope="row">{name.category(rule.service_code)}</th>
            <td>{name.ward(rule.ward_code)}</td>
            <td>
              {name.unit(rule.unit)} <span class="muted">({rule.unit})</span>
            </td>
            <td>{t(`routing.source.${rule.source}`)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
