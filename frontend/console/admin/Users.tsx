// The staff accounts and the roles each holds, with the unit or ward of a unit or ward role.
// Roles come from the rooms (GET /api/v1/auth/roles); an administrator changes an account's
// roles here, and its next sign-in (or token refresh) carries them. Accounts are created,
// disabled or enabled and their authenticator reset here too (StaffAccounts.tsx).
import { errorText } from "@shared/ui";
import { pick, t, useLang } from "@shared/i18n";
import { Alert, DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import { type Grant, type RoleCatalogue, roleCatalogue, type StaffUser, saveGrants, staffUsers } from "./api";
import { AccountActions, NewAccount, stateOf } from "./StaffAccounts";

export function Users() {
  useLang();
  const loaded = useAsync(staffUsers, []);
  const catalogue = useAsync(roleCatalogue, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<Record<string, Grant[]>>({});
  const [done, setDone] = useState("");
  const reload = (text = "") => {
    setSaved({});
    setDone(text);
    loaded.reload();
  };
  const manage = useCan("identity.staff.manage");
  const users = loaded.data?.users ?? [];
  const grantsOf = (u: StaffUser) => saved[u.username] ?? u.grants;
  return (
    <>
      <h1>{t("users.title")}</h1>
      {(loaded.loading || catalogue.loading) && !(loaded.data && catalogue.data) && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {catalogue.error ? <Failed error={catalogue.error} retry={catalogue.reload} /> : null}
      {loaded.data && catalogue.data && (
        <>
          <Alert kind="info">{t(`users.source.${loaded.data.source}`)}</Alert>
          {manage && <NewAccount catalogue={catalogue.data} onCreated={() => reload()} />}
          <p class="muted" role="status">
            {t("users.count", { n: users.length })}
          </p>
          <p role="status">{done}</p>
          {users.length > 0 && (
            <DataTable
              caption={t("users.caption")}
              columns={[t("users.username"), t("users.name"), t("users.state"), t("users.roles"), t("users.actions")]}
            >
              {users.map((u) => (
                <tr key={u.username}>
                  <th scope="row">{u.username}</th>
                  <td>{u.name}</td>
                  <td>{stateOf(u)}</td>
                  <td>
                    {editing === u.username ? (
                      <GrantsEditor
                        user={u}
                        grants={grantsOf(u)}
                        catalogue={catalogue.data as RoleCatalogue}
                        onDone={(grants) => {
                          if (grants) setSaved({ ...saved, [u.username]: grants });
                          setEditing(null);
                        }}
                      />
                    ) : (
                      <GrantList grants={grantsOf(u)} catalogue={catalogue.data as RoleCatalogue} />
                    )}
                  </td>
                  <td>
                    {manage && editing !== u.username && (
                      <div class="row-actions">
                        <button type="button" class="secondary" onClick={() => setEditing(u.username)}>
                          {t("users.edit", { user: u.username })}
                        </button>{" "}
                        <AccountActions user={u} onDone={reload} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </>
  );
}

function label(grant: Grant, catalogue: RoleCatalogue): string {
  const role = catalogue.roles.find((r) => r.name === grant.role);
  const title = role ? pick(role.title) : grant.role;
  if (!grant.scope) return title;
  const scopes = role?.scope === "ward" ? catalogue.wards : catalogue.units;
  const scope = scopes.find((s) => s.code === grant.scope);
  return `${title} · ${scope ? pick(scope.name) : grant.scope}`;
}

function GrantList({ grants, catalogue }: { grants: Grant[]; catalogue: RoleCatalogue }) {
  if (grants.length === 0) return <span class="muted">{t("users.noRole")}</span>;
  return (
    <ul class="grants">
      {grants.map((g) => (
        <li key={`${g.role}@${g.scope ?? ""}`}>{label(g, catalogue)}</li>
      ))}
    </ul>
  );
}

function GrantsEditor(props: {
  user: StaffUser;
  grants: Grant[];
  catalogue: RoleCatalogue;
  onDone: (grants: Grant[] | null) => void;
}) {
  const { catalogue } = props;
  const staffRoles = catalogue.roles.filter((r) => r.pool === "staff");
  const [grants, setGrants] = useState<Grant[]>(props.grants);
  const [role, setRole] = useState(staffRoles[0]?.name ?? "");
  const [scope, setScope] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = staffRoles.find((r) => r.name === role)?.scope ?? "city";
  const scopes = kind === "unit" ? catalogue.units : kind === "ward" ? catalogue.wards : [];
  const id = `grant-${props.user.username}`;
  const add = () => {
    const grant: Grant = { role, scope: scopes.length ? scope || scopes[0].code : null };
    if (!grants.some((g) => g.role === grant.role && g.scope === grant.scope)) setGrants([...grants, grant]);
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const account = await saveGrants(props.user.username, grants);
      props.onDone(account.grants);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="grants-editor">
      <ul class="grants">
        {grants.map((g, i) => (
          <li key={`${g.role}@${g.scope ?? ""}`}>
            {label(g, catalogue)}{" "}
            <button
              type="button"
              class="link"
              aria-label={t("users.remove", { role: label(g, catalogue) })}
              onClick={() => setGrants(grants.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <label for={`${id}-role`}>{t("users.role")}</label>
      <select id={`${id}-role`} value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
        {staffRoles.map((r) => (
          <option key={r.name} value={r.name}>
            {pick(r.title)}
          </option>
        ))}
      </select>
      {scopes.length > 0 && (
        <>
          <label for={`${id}-scope`}>{t(kind === "ward" ? "users.ward" : "users.unit")}</label>
          <select id={`${id}-scope`} value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
            {scopes.map((s) => (
              <option key={s.code} value={s.code}>
                {pick(s.name)}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="button" class="secondary" onClick={add}>
        {t("users.add")}
      </button>
      <p class="muted">{t("users.nextSignIn")}</p>
      {error && <Alert>{error}</Alert>}
      <button type="button" disabled={busy} onClick={save}>
        {t("users.save")}
      </button>{" "}
      <button type="button" class="secondary" onClick={() => props.onDone(null)}>
        {t("users.cancel")}
      </button>
    </div>
  );
}
