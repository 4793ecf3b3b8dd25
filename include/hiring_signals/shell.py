"""`hiring-signals shell`: a small interactive SQL session on the published warehouse.

The duckdb Python package ships no command-line client, so this is a minimal one. The
warehouse is opened read-only. A statement runs once a line ends it with ``;`` (outside
quotes and comments), so statements may span lines. Lines starting with ``.`` at the
start of a statement are commands (``.tables``, ``.schema TABLE``, ``.help``,
``.quit``). An error is printed and the session goes on. Piped input works the same,
without prompts, and the exit status says whether any statement failed.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hiring_signals.terminal import cell
from hiring_signals.warehouse import connect_for_analysts, refusal_hint

PROMPT = "hs> "
CONTINUATION = "..> "
MAX_ROWS = 200
DROP = "\x00drop"  # what Ctrl-C yields: forget the statement being typed
HELP = """\
Statements end with ';' and may span several lines. Commands:
  .tables          list the tables (schema.table, rows)
  .schema TABLE    columns and types of TABLE (marts.fct_job_postings or fct_job_postings)
  .help            this text
  .quit, .exit     leave (so do Ctrl-D and end of input)
The warehouse is opened read-only: statements that would change it are refused."""


def statement_complete(text: str) -> bool:
    """True when ``text`` ends with a ``;`` outside strings, quoted names and comments
    (blanks and comments after it are ignored)."""
    last = ""
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in ("'", '"'):
            end = text.find(char, i + 1)
            while end != -1 and text[end + 1 : end + 2] == char:  # '' or "" escapes
                end = text.find(char, end + 2)
            if end == -1:
                return False  # an open string or quoted name
            last, i = char, end + 1
        elif text.startswith("--", i):
            newline = text.find("\n", i)
            i = n if newline == -1 else newline + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                return False  # an open block comment
            i = end + 2
        else:
            if not char.isspace():
                last = char
            i += 1
    return last == ";"


def _cell(value: object) -> str:
    return "[dim]NULL[/dim]" if value is None else cell(value)


class Shell:
    """Runs statements and commands on one read-only connection and prints the results."""

    def __init__(self, con: duckdb.DuckDBPyConnection, out: Console, err: Console) -> None:
        self.con = con
        self.out = out
        self.err = err
        self.errors = 0
        self.buffer: list[str] = []

    def error(self, message: str) -> None:
        self.errors += 1
        self.err.print(f"[red]error:[/red] {escape(message)}")

    # Statements -------------------------------------------------------------------------

    def execute(self, sql: str) -> None:
        try:
            statements = self.con.extract_statements(sql)
        except duckdb.Error as exc:
            self.error(str(exc))
            return
        for statement in statements:
            try:
                cursor = self.con.execute(statement.query)
                self.show(cursor)
            except Exception as exc:  # whatever fails, the session goes on
                message = str(exc)
                if "read-only" in message:
                    message = (
                        "the warehouse is open read-only; statements that change it are "
                        f"refused ({message})"
                    )
                elif isinstance(exc, duckdb.Error) and (hint := refusal_hint(exc)):
                    message = f"{hint} ({message})"
                self.error(message)
                return  # the statements after a failed one are not run

    def show(self, cursor: duckdb.DuckDBPyConnection) -> None:
        if not cursor.description:
            self.out.print("ok")
            return
        table = Table(
            *[
                f"{escape(name)}\n[dim]{escape(str(kind))}[/dim]"
                for name, kind, *_ in cursor.description
            ]
        )
        rows = cursor.fetchmany(MAX_ROWS + 1)
        for row in rows[:MAX_ROWS]:
            table.add_row(*[_cell(v) for v in row])
        self.out.print(table)
        if len(rows) > MAX_ROWS:
            self.out.print(
                f"first {MAX_ROWS} rows shown; add a LIMIT or use `hiring-signals query`"
            )
        else:
            self.out.print(f"{len(rows)} row{'' if len(rows) == 1 else 's'}")

    # Commands ---------------------------------------------------------------------------

    def command(self, line: str) -> bool:
        """Run a dot command; False means leave the shell."""
        name, _, argument = line.strip().partition(" ")
        argument = argument.strip().rstrip(";").strip()
        if name in (".quit", ".exit", ".q"):
            return False
        if name == ".help":
            self.out.print(escape(HELP))
        elif name == ".tables":
            self.tables()
        elif name == ".schema":
            if argument:
                self.schema(argument)
            else:
                self.error("usage: .schema TABLE (see .tables)")
        else:
            self.error(f"unknown command {name}; .help lists the commands")
        return True

    def tables(self) -> None:
        rows = self.con.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables() "
            "where database_name = current_database() order by schema_name, table_name"
        ).fetchall()
        table = Table("table", "rows")
        for schema, name, size in rows:
            table.add_row(escape(f"{schema}.{name}"), str(size))
        self.out.print(table)

    def schema(self, name: str) -> None:
        schema, _, table_name = name.rpartition(".")
        rows = self.con.execute(
            "select schema_name, table_name, column_name, data_type, is_nullable, comment "
            "from duckdb_columns() where database_name = current_database() "
            "and table_name = ? and (? = '' or schema_name = ?) "
            "order by schema_name <> 'marts', schema_name, column_index",
            [table_name, schema, schema],
        ).fetchall()
        if not rows:
            self.error(f"no table {name}; .tables lists them")
            return
        first_schema = rows[0][0]
        columns = [row for row in rows if row[0] == first_schema]
        described = any(row[5] for row in columns)
        table = Table(
            "column",
            "type",
            "nullable",
            *(["description"] if described else []),
            title=escape(f"{first_schema}.{table_name}"),
        )
        for _, _, column, kind, nullable, comment in columns:
            cells = [escape(column), escape(kind), "yes" if nullable else "no"]
            table.add_row(*cells, *([escape(comment or "")] if described else []))
        self.out.print(table)

    # The loop ---------------------------------------------------------------------------

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            if line == DROP:
                self.buffer.clear()
                continue
            if not self.buffer and line.strip().startswith("."):
                if not self.command(line):
                    return
                continue
            if not self.buffer and not line.strip():
                continue
            self.buffer.append(line)
            text = "\n".join(self.buffer)
            if statement_complete(text):
                self.buffer.clear()
                self.execute(text)
        if "".join(self.buffer).strip():  # the last statement of a script may lack its ';'
            text = "\n".join(self.buffer)
            self.buffer.clear()
            self.execute(text)


def _prompted(shell: Shell) -> Iterator[str]:
    """Lines typed at a terminal, with prompts and readline history; Ctrl-C drops the
    statement being typed, Ctrl-D leaves."""
    with contextlib.suppress(ImportError):  # readline gives input() editing and history
        import readline  # noqa: F401
    while True:
        try:
            yield input(CONTINUATION if shell.buffer else PROMPT)
        except EOFError:
            shell.out.print()
            return
        except KeyboardInterrupt:
            shell.out.print("^C")
            yield DROP


def _piped(stream) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n")


def run_shell(path: Path, out: Console, err: Console) -> int:
    """Run a session on the warehouse at ``path``; returns the number of failed statements."""
    with connect_for_analysts(path) as con:
        shell = Shell(con, out, err)
        if sys.stdin.isatty():
            snapshot = con.execute(
                "select snapshot_id, published_at from meta.snapshots "
                "order by published_at desc limit 1"
            ).fetchone()
            out.print(
                f"hiring-signals shell on {escape(str(path))} (read-only"
                + (
                    f", snapshot {snapshot[0]} published {snapshot[1]:%Y-%m-%d %H:%M %Z}"
                    if snapshot
                    else ""
                )
                + "). Statements end with ';'. .help lists the commands."
            )
            shell.run(_prompted(shell))
        else:
            shell.run(_piped(sys.stdin))
        return shell.errors
