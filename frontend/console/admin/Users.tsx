// The staff accounts and their roles: locally the development identity provider's directory;
// in AWS the administrator manages them in the Cognito user pool, and this list is empty.
import { t, useLang } from "@shared/i18n";
import { Alert, DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { staffUsers } from "./api";

export function Users() {
  useLang();
  const loaded = useAsync(staffUsers, []);
  const users = loaded.data?.users ?? [];
  return (
    <>
      <h1>{t("users.title")}</h1>
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {loaded.data && (
        <>
          <Alert kind="info">{t(`users.source.${loaded.data.source}`)}</Alert>
          <p class="muted" role="status">
            {t("users.count", { n: users.length })}
          </p>
          {users.length > 0 && (
            <DataTable
              caption={t("users.caption")}
              columns={[t("users.username"), t("users.name"), t("users.role"), t("users.unit")]}
            >
              {users.map((u) => (
                <tr key={u.username}>
                  <th scope="row">{u.username}</th>
                  <td>{u.name}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>{u.unit ?? "—"}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </>
  );
}
