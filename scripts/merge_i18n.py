"""Merge the Vietnamese translations engineers drop in ``app/*/i18n_vi.txt`` into the catalog.

A drop file holds one ``msgid<TAB>msgstr`` pair per line (English msgid, Vietnamese text);
blank lines and lines starting with ``#`` are ignored, and no escapes are processed. The
drop file is the source of the translations it lists: edit them there, not in the PO.
``make catalog`` calls this script twice (see docs/i18n.md):

``template OUTPUT POT...``
    Write OUTPUT, the template ``pybabel update`` reads: the union of the given templates
    (our sources, Flask-AppBuilder's, WTForms') plus every drop-file msgid, so that none
    of them is marked obsolete by the update.
``apply PO``
    Set the Vietnamese text of every drop-file msgid in the catalog PO. When two drop
    lines give one msgid different texts, the first (by file path, then line) is used and
    the other is reported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DROP_GLOB = "app/*/i18n_vi.txt"


@dataclass(frozen=True)
class Drop:
    """One line of a drop file: an English msgid, its Vietnamese text and where it was."""

    msgid: str
    msgstr: str
    path: str
    lineno: int


def read_drops(root: Path = ROOT) -> list[Drop]:
    """Every pair of every ``app/*/i18n_vi.txt`` under ``root``, in file and line order.

    Raises ValueError naming the file and line of a malformed line.
    """
    drops = []
    for path in sorted(root.glob(DROP_GLOB)):
        relative = path.relative_to(root).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            msgid, sep, msgstr = line.partition("\t")
            if not sep or not msgid.strip() or not msgstr.strip():
                raise ValueError(f"{relative}:{lineno}: expected 'msgid<TAB>msgstr'")
            drops.append(Drop(msgid.strip(), msgstr.strip(), relative, lineno))
    return drops


def _read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _write_catalog(catalog: Catalog, path: Path, **options: bool) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, **options)


def build_template(pot_paths: Iterable[Path], drops: list[Drop]) -> Catalog:
    """The union of the templates' messages (locations merged) and the drop msgids."""
    union = Catalog(project="donthu", fuzzy=False)
    for pot_path in pot_paths:
        for message in _read_catalog(pot_path):
            if not message.id:
                continue
            known = union.get(message.id, message.context)
            if known is None:
                union[message.id] = message
            else:
                known.locations.extend(message.locations)
    for drop in drops:
        known = union.get(drop.msgid)
        if known is None:
            union.add(drop.msgid, locations=[(drop.path, drop.lineno)])
        else:
            known.locations.append((drop.path, drop.lineno))
    return union


def apply_drops(catalog: Catalog, drops: list[Drop]) -> tuple[int, list[str]]:
    """Give each drop msgid its drop text in ``catalog``; return the number of entries
    changed and the conflicting drop lines."""
    chosen: dict[str, Drop] = {}
    conflicts = []
    for drop in drops:
        first = chosen.setdefault(drop.msgid, drop)
        if first.msgstr != drop.msgstr:
            conflicts.append(
                f"{drop.path}:{drop.lineno}: {drop.msgid!r} ignored, "
                f"{first.path}:{first.lineno} gives {first.msgstr!r}"
            )
    changed = 0
    for drop in chosen.values():
        message = catalog.get(drop.msgid)
        if message is None:
            message = catalog.add(drop.msgid, locations=[(drop.path, drop.lineno)])
        if message.string != drop.msgstr or "fuzzy" in message.flags:
            message.string = drop.msgstr
            message.flags.discard("fuzzy")
            changed += 1
    return changed, conflicts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout holding app/")
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="write the union template")
    template.add_argument("output", type=Path)
    template.add_argument("pots", type=Path, nargs="+")
    apply = commands.add_parser("apply", help="set drop translations in a catalog")
    apply.add_argument("po", type=Path)
    args = parser.parse_args(argv)

    try:
        drops = read_drops(args.root)
    except ValueError as error:
        print(f"merge_i18n: {error}", file=sys.stderr)
        return 1
    if args.command == "template":
        union = build_template(args.pots, drops)
        _write_catalog(union, args.output, omit_header=False)
        print(f"merge_i18n: template of {len(union)} msgids ({len(drops)} from drop files)")
        return 0
    catalog = _read_catalog(args.po)
    changed, conflicts = apply_drops(catalog, drops)
    if changed:
        _write_catalog(catalog, args.po, ignore_obsolete=True)
    for conflict in conflicts:
        print(f"merge_i18n: {conflict}", file=sys.stderr)
    print(f"merge_i18n: {changed} translations of {args.po} set from drop files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
