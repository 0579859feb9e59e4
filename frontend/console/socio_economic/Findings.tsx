// What the validation rules found about a value (a sum that does not add up, a jump far
// outside the past years): errors stop it, warnings need a comment before it is approved.
import { getLang, t, useLang } from "@shared/i18n";
import type { Finding } from "./api";

export function Findings({ findings }: { findings: Finding[] }) {
  useLang();
  if (!findings.length) return null;
  return (
    <ul class="se-findings" aria-label={t("se.findings")}>
      {findings.map((finding, index) => (
        <li key={index} class={`se-finding se-${finding.severity}`}>
          <span class={`badge se-sev-${finding.severity}`}>{t(`se.severity.${finding.severity}`)}</span>{" "}
          {getLang() === "vi" ? finding.message_vi : finding.message_en}
        </li>
      ))}
    </ul>
  );
}

export const hasWarnings = (findings: Finding[]) => findings.some((f) => f.severity === "warning" || f.severity === "error");
