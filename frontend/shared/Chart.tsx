// Chart.js on a canvas, with the same figures in a table for screen readers and keyboards.
// Bands (a target range, a forecast's spread) are two edges with the space between shaded.
import "./chart.css";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  type LegendItem,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { t } from "./i18n";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = "#15202b";

// Colour-blind safe (Okabe–Ito), dark enough on white.
export const COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

const AXIS_LABEL = 30;

function shorten(label: string | undefined): string {
  if (!label) return "";
  return label.length > AXIS_LABEL ? `${label.slice(0, AXIS_LABEL - 1)}…` : label;
}

export interface Series {
  label: string;
  values: (number | null)[];
  kind?: "bar" | "line";
  axis?: "count" | "rate";
  format?: (value: number | null) => string;
  dashed?: boolean; // a comparison (last year) beside the figure itself
  colour?: string;
}

/** A shaded range between ``low`` and ``high`` (null where it does not apply). */
export interface Band {
  label: string;
  low: (number | null)[];
  high: (number | null)[];
  colour: string; // the edge; the fill is the same, faint
  format?: (value: number | null) => string;
}

type Dataset = ChartConfiguration["data"]["datasets"][number];

function faint(colour: string): string {
  return `${colour}33`; // #rrggbb + alpha 0.2
}

function bandDatasets(bands: Band[]): Dataset[] {
  return bands.flatMap((band) => [
    // The low edge first, then the high edge filled down to it ("-1": the dataset before).
    {
      type: "line",
      label: `${band.label} (low)`,
      data: band.low,
      borderColor: band.colour,
      borderWidth: 1,
      pointRadius: 0,
      fill: false,
      order: 10,
    },
    {
      type: "line",
      label: band.label,
      data: band.high,
      borderColor: band.colour,
      backgroundColor: faint(band.colour),
      borderWidth: 1,
      pointRadius: 0,
      fill: "-1",
      order: 10,
    },
  ]) as Dataset[];
}

function seriesDatasets(series: Series[], horizontal: boolean): Dataset[] {
  return series.map((s, i) => {
    const colour = s.colour ?? COLOURS[i % COLOURS.length];
    return {
      type: s.kind ?? "bar",
      label: s.label,
      data: s.values,
      backgroundColor: colour,
      borderColor: colour,
      borderDash: s.dashed ? [6, 4] : undefined,
      yAxisID: horizontal ? undefined : s.axis === "rate" ? "rate" : "y",
      xAxisID: horizontal ? (s.axis === "rate" ? "rate" : "x") : undefined,
      tension: 0.25,
      spanGaps: true,
      order: 0,
      // Across categories a line means nothing: show the rates as points.
      ...(horizontal && s.kind === "line" ? { showLine: false, pointRadius: 5 } : {}),
    };
  }) as Dataset[];
}

export function ChartFigure({
  id,
  title,
  labels,
  series,
  bands = [],
  horizontal = false,
  height = 320,
  fromZero = true,
  heading = 2,
}: {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  bands?: Band[];
  horizontal?: boolean;
  height?: number;
  fromZero?: boolean;
  heading?: 2 | 3;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const rates = series.some((s) => s.axis === "rate");
    const lowEdges = new Set(bands.map((_, i) => series.length + 2 * i));
    const config: ChartConfiguration = {
      type: "bar",
      data: { labels, datasets: [...seriesDatasets(series, horizontal), ...bandDatasets(bands)] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          // A band is one entry in the legend, not its two edges.
          legend: { position: "bottom", labels: { filter: (item: LegendItem) => !lowEdges.has(item.datasetIndex ?? -1) } },
        },
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: fromZero, position: horizontal ? "bottom" : "left" },
          // Long names are cut on the axis; the tooltip and the table give them whole.
          ...(horizontal ? { y: { ticks: { callback: (_: unknown, index: number) => shorten(labels[index]) } } } : {}),
          ...(rates
            ? {
                rate: {
                  min: 0,
                  max: 1,
                  position: horizontal ? "top" : "right",
                  grid: { drawOnChartArea: false },
                  ticks: { callback: (value: string | number) => `${Math.round(Number(value) * 100)}%` },
                },
              }
            : {}),
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [labels.join("|"), JSON.stringify(series), JSON.stringify(bands), fromZero]);

  const Heading = heading === 3 ? "h3" : "h2";
  const shown = (format: ((v: number | null) => string) | undefined, value: number | null | undefined) =>
    format ? format(value ?? null) : (value ?? "—");
  return (
    <figure class="chart card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <Heading>{title}</Heading>
      </figcaption>
      <div class="chart-box" style={{ height: `${height}px` }}>
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
      <details>
        <summary>{t("chart.table")}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("chart.item")}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
                {bands.map((b) => (
                  <th scope="col" key={b.label}>
                    {b.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, row) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td key={s.label}>{shown(s.format, s.values[row])}</td>
                  ))}
                  {bands.map((b) => (
                    <td key={b.label}>
                      {b.low[row] === null && b.high[row] === null
                        ? "—"
                        : `${shown(b.format, b.low[row])} – ${shown(b.format, b.high[row])}`}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
