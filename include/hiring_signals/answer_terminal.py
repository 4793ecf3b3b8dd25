"""The answer view on a terminal (rich) and as JSON: two of its three renderings (the
third is the HTML report). Every string from the data goes through ``terminal.cell``."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from hiring_signals.answer_view import AnswerView, Comparison, pct, with_interval
from hiring_signals.terminal import cell


def _change(c: Comparison) -> str:
    """``+1.0 (-13.5, +14.8)``: the change in share points and its 95% interval."""
    value = "-" if c.change.value is None else f"{c.change.value * 100:+.1f}"
    if c.change.low is None or c.change.high is None:
        return value
    return f"{value} ({c.change.low * 100:+.1f}, {c.change.high * 100:+.1f})"


def _family_table(view: AnswerView, flagged: bool = False) -> Table:
    title = "flagged share (uncorrected)" if flagged else "estimated share of postings"
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("family", no_wrap=True)
    table.add_column("now (95%)", justify="right", no_wrap=True)
    table.add_column("6 mo ago", justify="right", no_wrap=True)
    table.add_column("year ago", justify="right", no_wrap=True)
    table.add_column("change, pts (95%)", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for f in view.families:
        now = f.flagged_now if flagged else f.now
        comparisons = f.flagged if flagged else f.comparisons
        before = {c.baseline: c for c in comparisons}
        recent = before.get("previous 6 months")
        table.add_row(
            cell(f.name.removesuffix(" roles")),
            cell(with_interval(now)),
            cell(pct(recent.before.value) if recent else "-"),
            cell(pct(before["a year earlier"].before.value) if "a year earlier" in before else "-"),
            cell(_change(recent) if recent else "-"),
            cell(recent.verdict if recent else "-"),
        )
    return table


def print_answer(console: Console, view: AnswerView, verbose: bool = False) -> None:
    """The headline, the table, coverage and method notes: at most 30 lines at 100
    columns; ``verbose`` adds the year-earlier verdicts, flagged shares, volumes and
    the full method notes."""
    console.rule(cell(view.question))
    for line in view.headlines:
        console.print(cell(line))
    console.print(_family_table(view))
    console.print("[bold]coverage[/bold]")
    for note in view.coverage_notes:
        console.print(f"  {cell(note)}")
    gate = view.gate
    status = "unknown" if gate.success is None else ("passed" if gate.success else "FAILED")
    console.print(
        f"snapshot {cell(view.snapshot_id)}, quality gate {status} ({cell(gate.run_id or '-')})"
    )
    if not verbose:
        console.print(
            "Estimated true shares, corrected for the classifier's measured error; "
            "--verbose for the flagged shares, volumes and method notes."
        )
        return
    console.print("[bold]vs a year earlier[/bold]")
    for f in view.families:
        for c in f.comparisons:
            if c.baseline != "previous 6 months":
                console.print(f"  {cell(f.name)}: {cell(c.detail)}")
    console.print(_family_table(view, flagged=True))
    console.print("[bold]volume (counts a month)[/bold]")
    for v in view.volumes:
        console.print(f"  {cell(v.subject)}, vs {cell(v.baseline)}: {cell(v.verdict)}")
    console.print("[bold]method[/bold]")
    for note in view.method_notes:
        console.print(f"  {cell(note)}")


def to_json(view: AnswerView) -> str:
    """The view as JSON; it validates against ``docs/answer.schema.json``."""
    return view.model_dump_json(indent=2)
