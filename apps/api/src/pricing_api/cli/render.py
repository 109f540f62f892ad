"""Readable terminal output for a pricing result."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from pricing_core.pricing.by_title import TitlePricing
from pricing_core.pricing.model import PricingResult
from pricing_core.pricing.presenting import explain
from pricing_core.pricing.rules import round_half_up

__all__ = ["render_result"]


def _money(value: Decimal) -> str:
    return f"{round_half_up(value, Decimal('0.01')):,.2f}"


def render_result(
    result: PricingResult, matched: TitlePricing | None, console: Console | None = None
) -> None:
    out = console or Console(highlight=False)
    if matched is not None:
        c = matched.chosen
        out.print(
            f"[bold]{matched.match.title}[/] → {c.job_code} {c.title}"
            f" (score {c.score:.2f}: {c.reason})"
        )
        others = ", ".join(f"{o.job_code} {o.title}" for o in matched.match.candidates[1:4])
        if others:
            out.print(f"  other candidates: {others}")
    r = result.range
    cur = result.currency
    out.print(
        f"[bold]{result.area.name}[/] ({result.area.code}), industry {result.industry}, "
        f"priced {result.pricing_date} at P{result.target_percentile}"
    )
    out.print(
        f"[bold green]Range {cur} {r.minimum:,.0f} – {r.midpoint:,.0f} – {r.maximum:,.0f}[/]"
        f"  (minimum – midpoint – maximum, spread {r.spread * 100:.0f} %)"
    )
    out.print(f"Market rate {cur} {_money(result.market_rate)}")
    table = Table(title="Market percentiles (annual base pay)", title_justify="left")
    for p in sorted(result.market):
        table.add_column(f"P{p}", justify="right")
    table.add_row(
        *(
            ("≥ " if p in result.lower_bound else "") + _money(result.market[p])
            for p in sorted(result.market)
        )
    )
    out.print(table)
    conf = result.confidence
    out.print(f"Confidence {conf.score} ({conf.label})")
    for reason in conf.reasons:
        out.print(f"  - {reason}")
    out.print("Where the numbers came from:")
    for line in explain(result):
        out.print(f"  - {line}")
    versions = ", ".join(f"{s} {v}" for s, v in result.dataset_versions.items())
    out.print(f"Data: {versions}; policy version {result.policy_version}")
    for warning in result.warnings:
        out.print(f"[yellow]warning:[/] {warning}")
