// The leader's overview: one tile per room (the rooms declare them), each with its headline
// figures, its open alerts and, where it has one, a short ranking; refreshed every minute.
import { useEffect } from "preact/hooks";
import { dateTime, number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Failed, Loading, useAsync } from "@shared/ui";
import { type Figure, type Tile, overview } from "./api";

const REFRESH_MS = 60_000;

function value(figure: Figure): string {
  if (figure.value === null) return t("ov.none");
  return figure.unit === "%" ? `${number(figure.value)} %` : number(figure.value);
}

function Figures({ items, label }: { items: Figure[]; label: string }) {
  return (
    <dl class="ov-figures" aria-label={label}>
      {items.map((figure) => (
        <div key={figure.key} class={`ov-figure tone-${figure.tone}`} data-key={figure.key}>
          <dt>{pick(figure.label)}</dt>
          <dd>{value(figure)}</dd>
        </div>
      ))}
    </dl>
  );
}

function TileCard({ tile }: { tile: Tile }) {
  const title = pick(tile.title);
  const heading = `ov-${tile.room}`;
  return (
    <section class="card ov-tile" aria-labelledby={heading} data-room={tile.room}>
      <h2 id={heading}>
        <Link to={tile.link}>{title}</Link>
      </h2>
      <Figures items={tile.figures} label={title} />
      {tile.alerts.length > 0 && (
        <>
          <h3>{t("ov.alerts")}</h3>
          <Figures items={tile.alerts} label={`${title}: ${t("ov.alerts")}`} />
        </>
      )}
      {tile.ranking && tile.ranking.items.length > 0 && (
        <>
          <h3>{pick(tile.ranking.title)}</h3>
          <ol class="ov-ranking">
            {tile.ranking.items.map((item) => (
              <li key={item.key}>
                <span class="ov-rank-name">{pick(item.label)}</span>{" "}
                <strong>{item.value === null ? t("ov.none") : number(item.value)}</strong>
                {item.detail && <span class="ov-rank-detail"> · {pick(item.detail)}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      <p class="ov-more">
        <Link to={tile.link}>{t("ov.open", { room: title })}</Link>
      </p>
    </section>
  );
}

export function OverviewPage() {
  const lang = useLang();
  const data = useAsync(overview, [lang]);
  useEffect(() => {
    const timer = setInterval(() => data.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <h1>{t("ov.title")}</h1>
      {data.data && (
        <p class="muted">
          {t("ov.updated", { at: dateTime(data.data.generated_at) })}{" "}
          <button type="button" class="secondary" onClick={() => data.reload()}>
            {t("ov.refresh")}
          </button>
        </p>
      )}
      {data.loading && !data.data && <Loading />}
      {data.error ? <Failed error={data.error} retry={data.reload} /> : null}
      {data.data && (
        <div class="ov-grid">
          {data.data.tiles.map((tile) => (
            <TileCard key={tile.room} tile={tile} />
          ))}
        </div>
      )}
    </>
  );
}
