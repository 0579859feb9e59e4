// One indicator's figures period by period: status, who approved, what waits for approval,
// and every revision as a difference (who, when, why, "cũ: … – mới: …"); then its wards and sectors.
import { ChartFigure } from "@shared/Chart";
import { dateTime } from "@shared/format";
import { t } from "@shared/i18n";
import { DataTable } from "@shared/ui";
import { useState } from "preact/hooks";
import type { Indicator, IndicatorPage, Revision, SeriesPoint, ValueStatus } from "./api";
import { amount, nameOf, periodLabel, ValueBadge, who } from "./parts";

const SHOWN = 12;

function withStatus(value: number | null, status: ValueStatus | null, decimals: number): string {
  return status ? `${amount(value, decimals)} (${t(`se.status.${status}`)})` : amount(value, decimals);
}

function RevisionLine({ revision, decimals }: { revision: Revision; decimals: number }) {
  return (
    <li>
      <span class="se-rev-head">
        {t("se.rev.head", { no: revision.no, who: who(revision.entered_by), at: dateTime(revision.at) })}
        {revision.approved_by && ` ${t("se.rev.approvedBy", { who: who(revision.approved_by) })}`}
      </span>
      <span class="se-diff">
        {t("se.rev.diff", {
          old: withStatus(revision.old_value, revision.old_status, decimals),
          new: withStatus(revision.new_value, revision.new_status, decimals),
        })}
      </span>
      {revision.reason && <span class="se-sub">{t("se.rev.reason", { reason: revision.reason })}</span>}
    </li>
  );
}

function Row({ point, indicator, heads }: { point: SeriesPoint; indicator: Indicator; heads: string[] }) {
  const d = indicator.decimals;
  return (
    <tr>
      <th scope="row">{periodLabel(point.period)}</th>
      <td data-label={heads[1]}>{amount(point.value, d)}</td>
      <td data-label={heads[2]}>
        <ValueBadge status={point.status} state={point.state} />
      </td>
      <td data-label={heads[3]}>
        {point.approved_by ? (
          <>
            {who(point.approved_by)}
            <span class="se-sub">{dateTime(point.approved_at)}</span>
          </>
        ) : (
          "—"
        )}
      </td>
      <td data-label={heads[4]}>
        {point.pending ? (
          <span>
            {t("se.values.pending", {
              value: withStatus(point.pending.value, point.pending.status, d),
              who: who(point.pending.by),
            })}
          </span>
        ) : (
          "—"
        )}
      </td>
      <td data-label={heads[5]}>
        {point.revisions.length ? (
          <details>
            <summary>{t("se.rev.count", { n: point.revisions.length })}</summary>
            <ol class="se-revisions">
              {point.revisions.map((r) => (
                <RevisionLine key={r.no} revision={r} decimals={d} />
              ))}
            </ol>
          </details>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

export function Values({ page }: { page: IndicatorPage }) {
  const columns = ["period", "value", "status", "approvedBy", "pendingCol", "revisions"].map((c) => t(`se.values.${c}`));
  const [all, setAll] = useState(false);
  // Newest first: the period a meeting asks about is the latest; a year of them unless asked.
  const newest = [...page.series].reverse();
  const points = all ? newest : newest.slice(0, SHOWN);
  return (
    <section aria-labelledby="se-values-title">
      <h2 id="se-values-title">{t("se.values.title")}</h2>
      {points.length ? (
        <DataTable caption={t("se.values.caption")} columns={columns} class="se-values se-stack">
          {points.map((point) => (
            <Row key={point.period} point={point} indicator={page.indicator} heads={columns} />
          ))}
        </DataTable>
      ) : (
        <p class="muted">{t("se.values.none")}</p>
      )}
      {newest.length > SHOWN && (
        <p>
          <button type="button" class="secondary" aria-expanded={all} onClick={() => setAll(!all)}>
            {t(all ? "se.values.fewer" : "se.values.all", { n: newest.length, shown: SHOWN })}
          </button>
        </p>
      )}
    </section>
  );
}

export function Breakdown({ page }: { page: IndicatorPage }) {
  if (!page.breakdown.length) return null;
  const d = page.indicator.decimals;
  const format = (value: number | null) => amount(value, d);
  const rows = [...page.breakdown].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  return (
    <section aria-labelledby="se-breakdown-title">
      <h2 id="se-breakdown-title">{t("se.breakdown.title")}</h2>
      <ChartFigure
        id="se-breakdown"
        heading={3}
        title={t("se.breakdown.chart", { name: nameOf(page.indicator.name) })}
        labels={rows.map((r) => nameOf(r.name))}
        series={[{ label: nameOf(page.indicator.unit), values: rows.map((r) => r.value), format }]}
        horizontal
        height={Math.max(240, rows.length * 30)}
      />
    </section>
  );
}
