"""Render aggregated stance as Markdown, CSV or one self-contained HTML file with charts."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from pipeline.aggregate import AggregateConfig, GroupStance, summarise, summarise_all, years_of
from pipeline.config import ConfigError

COLUMNS = ("name", "quotes", "articles", "favour", "against", "neutral", "net", "ci_low", "ci_high", "few")
TIME_GROUPS = 8  # groups shown in the stance-over-time table and chart, besides all quotes


def time_groups(groups: list[GroupStance], overall: GroupStance) -> list[GroupStance]:
    """All quotes, then the most quoted groups that have dated quotes."""
    return [overall, *[g for g in groups if g.by_year][:TIME_GROUPS]] if overall.by_year else []


def time_cells(group: GroupStance, years: list[str]) -> list[str]:
    """'net (n=quotes)' per year, '-' where the group has no dated quote that year."""
    return [f"{group.by_year[y][0]:+.2f} (n={group.by_year[y][1]})" if y in group.by_year else "-" for y in years]


def load_run(run_dir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Scored quotes and manifest of a `stance score` run."""
    path = Path(run_dir) / "quotes.jsonl"
    if not path.exists():
        raise ConfigError(f"{run_dir}: no quotes.jsonl; run `stance score` first")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    manifest_path = Path(run_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return rows, manifest


def table_rows(groups: list[GroupStance]) -> list[dict[str, Any]]:
    """The numbers every format shows, one dict per group."""
    return [{"name": g.name, "quotes": g.quotes, "articles": g.articles, "favour": round(g.share["favour"], 3),
             "against": round(g.share["against"], 3), "neutral": round(g.share["neutral"], 3), "net": round(g.net, 3),
             "ci_low": round(g.ci95[0], 3), "ci_high": round(g.ci95[1], 3), "few": g.few} for g in groups]  # fmt: skip


def to_csv(groups: list[GroupStance], overall: GroupStance) -> str:
    """CSV of the per-group figures (year 'all'), then one row per group and year (net and quotes only)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=("year", *COLUMNS), restval="")
    writer.writeheader()
    writer.writerows({"year": "all", **row} for row in table_rows(groups))
    for g in time_groups(groups, overall):
        writer.writerows(
            {"year": y, "name": g.name, "quotes": n, "net": round(net, 3)} for y, (net, n) in g.by_year.items()
        )
    return buffer.getvalue()


def prior_note(manifest: dict[str, Any]) -> str:
    """Say whether the probabilities were re-weighted to the run's own label prior, and to what."""
    prior = manifest.get("estimated_prior")
    if not prior:
        return "Probabilities as the model gives them (no prior adaptation)."
    shares = ", ".join(f"{label} {share:.0%}" for label, share in prior.items())
    return (f"Probabilities re-weighted to this run's label prior, estimated without labels "
            f"(mode `{manifest.get('prior_adapted')}`): {shares}.")  # fmt: skip


def to_markdown(
    groups: list[GroupStance], overall: GroupStance, manifest: dict[str, Any], config: AggregateConfig
) -> str:
    """Markdown report: the table, then evidence quotes per group."""
    lines = [f"# Stance on outsourcing by {config.by}", "",
             f"Model `{manifest.get('model', '?')}` ({str(manifest.get('model_hash', ''))[:12]}); "
             f"net = mean P(favour) - P(against); 95% interval by resampling articles. "
             f"* = fewer than {config.min_quotes} quotes or {config.min_articles} articles: read with care. "
             + prior_note(manifest), "",
             "| " + " | ".join(COLUMNS[:-1]) + " |", "|" + "---|" * (len(COLUMNS) - 1)]  # fmt: skip
    for row in table_rows(groups):
        name = row["name"] + (" *" if row["few"] else "")
        lines.append("| " + " | ".join([name] + [str(row[c]) for c in COLUMNS[1:-1]]) + " |")
    lines += _markdown_time(groups, overall)
    for g in groups:
        lines += ["", f"## {g.name}", ""]
        for label, quotes in (("favour", g.favour_evidence), ("against", g.against_evidence)):
            for q in quotes:
                lines.append(f"- **{label}** ({q[f'p_{label}']:.2f}) “{q['text']}” — {q['speaker'] or 'unknown'}, "
                             f"*{q['title']}* ({q.get('date') or 'undated'})")  # fmt: skip
        if g.by_year:
            lines.append("- by year: " + ", ".join(f"{y}: {n:+.2f} (n={c})" for y, (n, c) in g.by_year.items()))
    return "\n".join(lines) + "\n"


def _markdown_time(groups: list[GroupStance], overall: GroupStance) -> list[str]:
    """Net stance per year for all quotes and the most quoted groups (dated articles only)."""
    shown, years = time_groups(groups, overall), years_of([overall])
    if not shown:
        return ["", "No article in this run has a date, so there is no stance over time."]
    lines = ["", "## Stance over time (net stance per year, dated articles only)", "",
             "| name | " + " | ".join(years) + " |", "|" + "---|" * (len(years) + 1)]  # fmt: skip
    return lines + [f"| {g.name} | " + " | ".join(time_cells(g, years)) + " |" for g in shown]


def _png(fig: Any) -> str:
    """A matplotlib figure as base64 PNG, closed afterwards."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _time_chart(shown: list[GroupStance], years: list[str]) -> str:
    """Net stance per year, one line per group, as an embedded PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    for g in shown:
        xs = [y for y in years if y in g.by_year]
        ax.plot(xs, [g.by_year[y][0] for y in xs], marker="o", label=g.name, lw=2.5 if g is shown[0] else 1.2)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylim(-1, 1)
    ax.set_ylabel("net stance")
    ax.legend(fontsize=7, loc="best")
    return _png(fig)


def _chart(groups: list[GroupStance]) -> str:
    """Net stance with intervals as an embedded PNG (no network needed to view it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = ([g for g in groups if not g.few] + [g for g in groups if g.few])[:25][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.2))
    for y, g in enumerate(shown):  # flagged groups in grey, hollow: too few quotes or articles to lean on
        ax.errorbar(g.net, y, xerr=[[g.net - g.ci95[0]], [g.ci95[1] - g.net]], fmt="o", capsize=3,
                    color="grey" if g.few else "C0", mfc="white" if g.few else "C0")  # fmt: skip
    ax.set_yticks(range(len(shown)), [g.name + (" *" if g.few else "") for g in shown])
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("net stance: P(favour) - P(against)")
    return _png(fig)


def _html_time(groups: list[GroupStance], overall: GroupStance) -> str:
    """The stance-over-time section: chart and table."""
    shown, years = time_groups(groups, overall), years_of([overall])
    if not shown:
        return "<h2>Stance over time</h2><p>No article in this run has a date.</p>"
    head = "".join(f"<th>{html.escape(y)}</th>" for y in years)
    body = "".join(f"<tr><td>{html.escape(g.name)}</td>" + "".join(f"<td>{c}</td>" for c in time_cells(g, years))
                   + "</tr>" for g in shown)  # fmt: skip
    return (f"<h2>Stance over time</h2><p>Net stance per year (dated articles only; n = quotes).</p>"
            f'<img alt="net stance per year" src="data:image/png;base64,{_time_chart(shown, years)}">'
            f"<table><thead><tr><th>name</th>{head}</tr></thead><tbody>{body}</tbody></table>")  # fmt: skip


def to_html(groups: list[GroupStance], overall: GroupStance, manifest: dict[str, Any], config: AggregateConfig) -> str:
    """One self-contained HTML page: chart, sortable table, evidence quotes."""
    esc = html.escape
    head = "".join(f"<th onclick='sortTable({i})'>{esc(c)}</th>" for i, c in enumerate(COLUMNS[:-1]))
    body = "".join("<tr>" + "".join(f"<td>{esc(str(r[c]) + (' *' if c == 'name' and r['few'] else ''))}</td>"
                                    for c in COLUMNS[:-1]) + "</tr>" for r in table_rows(groups))  # fmt: skip
    evidence = "".join(
        f"<h3>{esc(g.name)}</h3><ul>"
        + "".join(
            f"<li><b>{lab}</b> ({q[f'p_{lab}']:.2f}) “{esc(q['text'])}” — {esc(q['speaker'] or 'unknown')}, "
            f"<i>{esc(q['title'] or '')}</i> ({esc(str(q.get('date') or 'undated'))})</li>"
            for lab, qs in (("favour", g.favour_evidence), ("against", g.against_evidence))
            for q in qs
        )  # fmt: skip
        + "</ul>"
        for g in groups
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Stance by {esc(config.by)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px}}th{{cursor:pointer;background:#eee}}</style></head><body>
<h1>Stance on outsourcing children's social work, by {esc(config.by)}</h1>
<p>Model <code>{esc(str(manifest.get("model", "?")))}</code>, {manifest.get("quotes", "?")} quotes from
{manifest.get("articles", "?")} articles. Net stance = mean P(favour) − P(against); 95% interval from resampling
articles. * = fewer than {config.min_quotes} quotes or {config.min_articles} articles: read with care (grey, hollow
in the chart). {esc(prior_note(manifest))} Click a column to sort.</p>
<img alt="net stance chart" src="data:image/png;base64,{_chart(groups)}">
<table id="t"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
{_html_time(groups, overall)}
<h2>Evidence</h2>{evidence}
<script>function sortTable(c){{const t=document.getElementById('t').tBodies[0];const r=[...t.rows];
const d=t.dataset.dir==c?-1:1;t.dataset.dir=d==1?c:'';r.sort((a,b)=>{{const x=a.cells[c].innerText,y=b.cells[c].innerText;
const nx=parseFloat(x),ny=parseFloat(y);return (isNaN(nx)?x.localeCompare(y):nx-ny)*d}});r.forEach(e=>t.appendChild(e))}}</script>
</body></html>"""


def write_report(run_dir: Path, fmt: str, config: AggregateConfig, out: Path | None = None) -> Path:
    """Aggregate a run and write the report next to it (or to `out`)."""
    rows, manifest = load_run(run_dir)
    groups, overall = summarise(rows, config), summarise_all(rows, config)
    render = {"md": lambda: to_markdown(groups, overall, manifest, config), "csv": lambda: to_csv(groups, overall),
              "html": lambda: to_html(groups, overall, manifest, config)}  # fmt: skip
    if fmt not in render:
        raise ConfigError(f"unknown report format {fmt!r}; use md, html or csv")
    out = out or Path(run_dir) / f"report_{config.by}.{fmt}"
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render[fmt](), encoding="utf-8")
    tmp.replace(out)
    return out
