// The dashboard's style sheet, inline in the page (no external resources).
// Print rules keep each chart and table on one page on A4 and Letter. The
// font stack ends with fonts that cover Traditional Chinese (Noto Sans CJK TC
// on Linux, Debian's fonts-noto-cjk; PingFang TC on macOS; Microsoft JhengHei
// on Windows) after the Latin ones, so Latin text keeps its font.
#pragma once

namespace mailflow {

inline constexpr const char* kDashboardCss = R"css(
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: var(--fg); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans",
    "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Source Han Sans TC", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead { margin: 0 0 8px; color: var(--muted); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 0; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.stats { display: flex; flex-wrap: wrap; gap: 16px; }
.stat { flex: 1 1 240px; padding: 12px 16px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.stat h3 { margin: 0; }
.stat .big { margin: 2px 0; font-size: 30px; font-weight: 600; }
.stat p { margin: 0; }
.chart { display: block; width: 100%; height: auto; }
.chart .grid { stroke: #e4e8ec; stroke-width: 1; }
.chart .axisline { stroke: #8c959f; stroke-width: 1; }
.chart text { font-size: 12px; fill: #3d444d; }
.chart .label { font-size: 14px; }
.chart .value { font-size: 13px; }
.chart rect.seg:hover { opacity: .75; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.table-wrap { overflow-x: auto; }
table { margin: 8px 0 4px; border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
caption { padding: 4px 0; font-weight: 600; text-align: left; white-space: nowrap; }
th, td { padding: 2px 8px; border: 1px solid var(--line); }
th { text-align: left; background: var(--card); }
td { text-align: right; }
.insight { margin: 8px 0; padding: 8px 12px; background: #fff8f0; border-left: 4px solid #e66101; border-radius: 4px; }
.insight h3 { margin: 0 0 4px; }
.insight p { margin: 2px 0; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  .chart, .stat, .insight, .legend, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  .chart rect.seg:hover { opacity: 1; }
}
)css";

}  // namespace mailflow
