// Chart.js on a canvas, with the same figures in a table for screen readers and keyboards.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { t } from "@shared/i18n";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
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
}

export function ChartFigure({
  id,
  title,
  labels,
  series,
  horizontal = false,
  height = 320,
}: {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const rates = series.some((s) => s.axis === "rate");
    const config: ChartConfiguration = {
      type: "bar",
      data: {
        labels,
        datasets: series.map((s, i) => ({
          type: s.kind ?? "bar",
          label: s.label,
          data: s.values,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
          yAxisID: horizontal ? undefined : s.axis === "rate" ? "rate" : "y",
          xAxisID: horizontal ? (s.axis === "rate" ? "rate" : "x") : undefined,
          tension: 0.25,
          spanGaps: true,
          // Across categories a line means nothing: show the rates as points.
          ...(horizontal && s.kind === "line" ? { showLine: false, pointRadius: 5 } : {}),
        })) as ChartConfiguration["data"]["datasets"],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom" } },
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: true, position: horizontal ? "bottom" : "left" },
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
  }, [labels.join("|"), JSON.stringify(series)]);

  return (
    <figure class="chart card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <h2>{title}</h2>
      </figcaption>
      <div class="chart-box" style={{ height: `${height}px` }}>
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
      <details>
        <summary>{t("stats.table")}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stats.item")}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, row) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td key={s.label}>{s.format ? s.format(s.values[row]) : (s.values[row] ?? "—")}</td>
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
