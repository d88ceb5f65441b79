"""Report forms as files (R21): load and validate ``report_templates/forms/*.yaml``.

Adding a form needs no code: drop a file in the folder (setting
``REPORT_TEMPLATES_FOLDER``). A file is refused, with a message naming the problem, when a
key is missing, a column number is repeated, a check formula names a column that does not
exist, or a column refers to an unknown metric, parameter or value. The format is
documented in ``report_templates/forms/README.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import current_app, has_app_context
from flask_babel import gettext

from app.reports.checks import Check, FormulaError, parse_check
from app.reports.metrics import MetricError, MetricRef, parse_ref

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "report_templates" / "forms"
FORMATS = ("count", "money", "area", "percent", "text")
ROW_AGENCIES = ("petition_receivers", "all")


class FormFileError(ValueError):
    """A form file that cannot be used; the message (Vietnamese) names the file and why."""

    def __init__(self, file: str, message: str):
        super().__init__(gettext("Form file %(file)s: %(problem)s", file=file, problem=message))
        self.file = file


@dataclass(frozen=True)
class Column:
    """A numbered column (a leaf of the header tree) and what fills it."""

    ms: str
    label: str
    ref: MetricRef | None
    share: tuple[str, str] | None
    format: str


@dataclass(frozen=True)
class HeaderNode:
    """A merged header cell over its children (columns or other groups)."""

    label: str
    children: tuple[HeaderNode | Column, ...]


@dataclass(frozen=True)
class Category:
    """A row of a per-category form: its label and the parameters it adds to every column."""

    label: str
    params: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class RowModel:
    """How the rows are made: one per agency of the scope (with subtotals per district and
    a total), or one per category."""

    per: str
    agencies: str
    subtotals: bool
    hide_empty: bool
    total_label: str | None
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Signature:
    """A signature block: title and the note under it."""

    title: str
    note: str


@dataclass(frozen=True)
class FormSpec:
    """A report form as its file describes it."""

    key: str
    code: str
    series: str
    title: str
    legal_basis: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    first_column: str
    header: tuple[HeaderNode | Column, ...]
    columns: tuple[Column, ...]
    checks: tuple[Check, ...]
    rows: RowModel
    period_line: str
    unit_line: str | None
    notes: tuple[str, ...]
    place_date: str
    signatures: tuple[Signature, ...]

    def in_force(self, day: dt.date) -> bool:
        """R21: the form is the version in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def depth(self) -> int:
        """Number of header rows (the deepest branch of the header tree)."""
        return max(_depth(node) for node in self.header)


def _depth(node: HeaderNode | Column) -> int:
    if isinstance(node, Column):
        return 1
    return 1 + max(_depth(child) for child in node.children)


def leaf_count(node: HeaderNode | Column) -> int:
    """Number of numbered columns under a header node (its width)."""
    if isinstance(node, Column):
        return 1
    return sum(leaf_count(child) for child in node.children)


def templates_folder() -> Path:
    """R21: the folder of form files (``REPORT_TEMPLATES_FOLDER``, default
    ``report_templates/forms``)."""
    if has_app_context() and current_app.config.get("REPORT_TEMPLATES_FOLDER"):
        return Path(current_app.config["REPORT_TEMPLATES_FOLDER"])
    return DEFAULT_FOLDER


class _Reader:
    """Reads one file's mapping into a FormSpec, raising FormFileError on any problem."""

    def __init__(self, path: Path):
        self.path = path
        self.leaves: list[Column] = []

    def fail(self, message: str) -> FormFileError:
        return FormFileError(self.path.name, message)

    def text(self, data: dict[str, Any], key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None or str(value).strip() == "":
            raise self.fail(gettext("the key %(key)s is missing.", key=key))
        return str(value).strip()

    def date(self, data: dict[str, Any], key: str) -> dt.date | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
        except ValueError:
            message = gettext("%(key)s is not a date: %(value)s", key=key, value=value)
            raise self.fail(message) from None

    def metric(self, text: str) -> MetricRef:
        try:
            return parse_ref(text)
        except MetricError as exc:
            messages = {
                "unknown metric": gettext("unknown metric %(name)s.", name=exc.name),
                "unknown parameter": gettext("unknown metric parameter %(name)s.", name=exc.name),
                "unknown value": gettext("unknown metric parameter value %(name)s.", name=exc.name),
            }
            default = gettext("the metric %(name)s cannot be read.", name=exc.name)
            raise self.fail(messages.get(str(exc), default)) from None

    def node(self, data: Any) -> HeaderNode | Column:
        if not isinstance(data, dict):
            raise self.fail(gettext("a header entry must be a mapping."))
        label = self.text(data, "label")
        if "children" in data:
            children = data["children"] or []
            if not children:
                raise self.fail(gettext("the group %(label)s has no columns.", label=label))
            return HeaderNode(label, tuple(self.node(child) for child in children))
        return self.column(data, label)

    def column(self, data: dict[str, Any], label: str) -> Column:
        ms = self.text(data, "ms")
        sources = [key for key in ("metric", "share", "blank") if data.get(key)]
        if len(sources) != 1:
            raise self.fail(
                gettext("column %(ms)s needs exactly one of metric, share or blank.", ms=ms)
            )
        ref = self.metric(str(data["metric"])) if "metric" in sources else None
        share = None
        if "share" in sources:
            part, _, whole = str(data["share"]).partition("/")
            share = (part.strip(), whole.strip())
        default = "percent" if share else "text" if "blank" in sources else "count"
        fmt = str(data.get("format", default))
        if fmt not in FORMATS:
            raise self.fail(gettext("column %(ms)s: unknown format %(value)s.", ms=ms, value=fmt))
        column = Column(ms, label, ref, share, fmt)
        self.leaves.append(column)
        return column

    def rows(self, data: dict[str, Any]) -> RowModel:
        per = str(data.get("per", "agency"))
        agencies = str(data.get("agencies", "petition_receivers"))
        if per not in ("agency", "category") or agencies not in ROW_AGENCIES:
            raise self.fail(gettext("unknown row model %(value)s.", value=f"{per}/{agencies}"))
        categories = [
            Category(self.text(item, "label"), self._category_params(str(item.get("params") or "")))
            for item in data.get("categories") or []
        ]
        if per == "category" and not categories:
            raise self.fail(gettext("a per-category form lists its categories."))
        total = data.get("total_label", "Tổng cộng")
        return RowModel(
            per=per,
            agencies=agencies,
            subtotals=bool(data.get("subtotals", True)),
            hide_empty=bool(data.get("hide_empty", False)),
            total_label=str(total) if total else None,
            categories=tuple(categories),
        )

    def _category_params(self, text: str) -> dict[str, tuple[str, ...]]:
        """The parameters of a category, checked against every column's metric."""
        params: dict[str, tuple[str, ...]] = {}
        keys = {item.partition("=")[0].strip() for item in text.split(",") if item.strip()}
        for column in self.leaves:
            if column.ref is None:
                continue
            own = ", ".join(f"{key}={'|'.join(values)}" for key, values in column.ref.params)
            merged = self.metric(f"{column.ref.name}{{{', '.join(filter(None, [own, text]))}}}")
            params.update({key: values for key, values in merged.params if key in keys})
        return params

    def read(self) -> FormSpec:
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            message = gettext("the file cannot be read (%(error)s).", error=exc)
            raise self.fail(message) from None
        if not isinstance(data, dict):
            raise self.fail(gettext("the file does not describe a form."))
        header = tuple(self.node(node) for node in data.get("columns") or [])
        if not header:
            raise self.fail(gettext("the key %(key)s is missing.", key="columns"))
        numbers = [column.ms for column in self.leaves]
        repeated = sorted({ms for ms in numbers if numbers.count(ms) > 1})
        if repeated:
            raise self.fail(gettext("column number %(ms)s is used twice.", ms=repeated[0]))
        for column in self.leaves:
            for ms in column.share or ():
                if ms not in numbers:
                    raise self.fail(gettext("column %(ms)s does not exist.", ms=ms))
        checks = []
        for text in data.get("checks") or []:
            try:
                check = parse_check(str(text))
            except FormulaError:
                message = gettext("the check %(formula)s cannot be read.", formula=text)
                raise self.fail(message) from None
            missing = sorted(check.columns - set(numbers), key=int)
            if missing:
                raise self.fail(
                    gettext(
                        "the check %(formula)s names column %(ms)s, which does not exist.",
                        formula=text,
                        ms=missing[0],
                    )
                )
            checks.append(check)
        footer = data.get("footer") or {}
        signatures = tuple(
            Signature(self.text(item, "title"), str(item.get("note", "")))
            for item in footer.get("signatures") or []
        )
        return FormSpec(
            key=self.path.stem,
            code=self.text(data, "code"),
            series=self.text(data, "series", self.path.stem),
            title=self.text(data, "title"),
            legal_basis=str(data.get("legal_basis", "")),
            valid_from=self.date(data, "valid_from"),
            valid_to=self.date(data, "valid_to"),
            first_column=self.text(data, "first_column", "Đơn vị"),
            header=header,
            columns=tuple(self.leaves),
            checks=tuple(checks),
            rows=self.rows(data.get("rows") or {}),
            period_line=self.text(
                data, "period_line", "Kỳ báo cáo: từ ngày {start} đến ngày {end}"
            ),
            unit_line=data.get("unit_line"),
            notes=tuple(str(note) for note in footer.get("notes") or []),
            place_date=str(footer.get("place_date", "{place}, ngày … tháng … năm …")),
            signatures=signatures,
        )


def load_form(path: Path) -> FormSpec:
    """R21: the form described by ``path``; FormFileError naming the problem otherwise."""
    return _Reader(path).read()


def load_forms(folder: Path | None = None) -> tuple[dict[str, FormSpec], list[FormFileError]]:
    """R21: every form file of the folder (read on each call: a dropped file is offered at
    once), keyed by file name, and the files refused with their reasons."""
    folder = folder or templates_folder()
    forms: dict[str, FormSpec] = {}
    errors: list[FormFileError] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        try:
            forms[path.stem] = load_form(path)
        except FormFileError as exc:
            errors.append(exc)
    return forms, errors


def forms_in_force(forms: dict[str, FormSpec], day: dt.date) -> list[FormSpec]:
    """R21: the forms in force on ``day`` (the last day of the chosen period), by code."""
    return sorted((form for form in forms.values() if form.in_force(day)), key=lambda f: f.code)
