"""Render aggregated stance as Markdown, CSV or one self-contained HTML file with charts."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from pipeline.aggregate import AggregateConfig, GroupStance, summarise
from pipeline.config import ConfigError

COLUMNS = ("name", "quotes", "articles", "favour", "against", "neutral", "net", "ci_low", "ci_high", "few")


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


def to_csv(groups: list[GroupStance]) -> str:
    """CSV of the per-group figures."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(table_rows(groups))
    return buffer.getvalue()


def to_markdown(groups: list[GroupStance], manifest: dict[str, Any], config: AggregateConfig) -> str:
    """Markdown report: the table, then evidence quotes per group."""
    lines = [f"# Stance on outsourcing by {config.by}", "",
             f"Model `{manifest.get('model', '?')}` ({str(manifest.get('model_hash', ''))[:12]}); "
             f"net = mean P(favour) - P(against); 95% interval by resampling articles. "
             f"* = fewer than {config.min_quotes} quotes.", "",
             "| " + " | ".join(COLUMNS[:-1]) + " |", "|" + "---|" * (len(COLUMNS) - 1)]  # fmt: skip
    for row in table_rows(groups):
        name = row["name"] + (" *" if row["few"] else "")
        lines.append("| " + " | ".join([name] + [str(row[c]) for c in COLUMNS[1:-1]]) + " |")
    for g in groups:
        lines += ["", f"## {g.name}", ""]
        for label, quotes in (("favour", g.favour_evidence), ("against", g.against_evidence)):
            for q in quotes:
                lines.append(f"- **{label}** ({q[f'p_{label}']:.2f}) “{q['text']}” — {q['speaker'] or 'unknown'}, "
                             f"*{q['title']}* ({q.get('date') or 'undated'})")  # fmt: skip
        if g.by_year:
            lines.append("- by year: " + ", ".join(f"{y}: {n:+.2f} (n={c})" for y, (n, c) in g.by_year.items()))
    return "\n".join(lines) + "\n"


def _chart(groups: list[GroupStance]) -> str:
    """Net stance with intervals as an embedded PNG (no network needed to view it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = groups[:25][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.2))
    ax.errorbar([g.net for g in shown], range(len(shown)),
                xerr=[[g.net - g.ci95[0] for g in shown], [g.ci95[1] - g.net for g in shown]], fmt="o", capsize=3)  # fmt: skip
    ax.set_yticks(range(len(shown)), [g.name + (" *" if g.few else "") for g in shown])
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("net stance: P(favour) - P(against)")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def to_html(groups: list[GroupStance], manifest: dict[str, Any], config: AggregateConfig) -> str:
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
articles. * = fewer than {config.min_quotes} quotes: read with care. Click a column to sort.</p>
<img alt="net stance chart" src="data:image/png;base64,{_chart(groups)}">
<table id="t"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<h2>Evidence</h2>{evidence}
<script>function sortTable(c){{const t=document.getElementById('t').tBodies[0];const r=[...t.rows];
const d=t.dataset.dir==c?-1:1;t.dataset.dir=d==1?c:'';r.sort((a,b)=>{{const x=a.cells[c].innerText,y=b.cells[c].innerText;
const nx=parseFloat(x),ny=parseFloat(y);return (isNaN(nx)?x.localeCompare(y):nx-ny)*d}});r.forEach(e=>t.appendChild(e))}}</script>
</body></html>"""


def write_report(run_dir: Path, fmt: str, config: AggregateConfig, out: Path | None = None) -> Path:
    """Aggregate a run and write the report next to it (or to `out`)."""
    rows, manifest = load_run(run_dir)
    groups = summarise(rows, config)
    render = {"md": lambda: to_markdown(groups, manifest, config), "csv": lambda: to_csv(groups),
              "html": lambda: to_html(groups, manifest, config)}  # fmt: skip
    if fmt not in render:
        raise ConfigError(f"unknown report format {fmt!r}; use md, html or csv")
    out = out or Path(run_dir) / f"report_{config.by}.{fmt}"
    out.write_text(render[fmt](), encoding="utf-8")
    return out
