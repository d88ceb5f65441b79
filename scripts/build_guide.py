"""Refresh the user guide's pictures from the browser tests (issue 8, R22, R23).

``make guide`` runs this: it runs the browser tests (tests/browser), which save their
screenshots in tests/artifacts/, then copies every screenshot a guide page shows
(``![…](img/NAME.png)`` in docs/guide/*.md) to docs/guide/img/. It fails, naming them,
when a page shows a picture no test takes any more or when a screen's help link points to
a section no page has; pictures no page shows are removed.

    .venv/bin/python scripts/build_guide.py            # run the browser tests, then copy
    .venv/bin/python scripts/build_guide.py --no-run   # copy the screenshots already taken
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.guide.pages import HELP_TOPICS, IMAGE_DIR, PAGES  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"


def guide_problems() -> list[str]:
    """Pictures the pages show that no test saved, and help links to missing sections."""
    problems = []
    for page in PAGES.values():
        for name in page.images():
            if not (ARTIFACTS / name).is_file():
                problems.append(f"{page.slug}.md shows img/{name}: no browser test saved it")
    for view, (slug, section) in HELP_TOPICS.items():
        if section not in PAGES[slug].section_ids():
            problems.append(f"{view}: the help link points to {slug}#{section}, which is missing")
    return problems


def copy_pictures() -> int:
    """Copy the pictures the pages show into docs/guide/img; drop the others."""
    wanted = {name for page in PAGES.values() for name in page.images()}
    IMAGE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in IMAGE_DIR.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    for name in sorted(wanted):
        shutil.copyfile(ARTIFACTS / name, IMAGE_DIR / name)
    return len(wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="do not run the browser tests")
    args = parser.parse_args()
    if not args.no_run:
        tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser"]
        if subprocess.run(tests, cwd=ROOT).returncode != 0:
            print("The browser tests failed: the guide is left as it was.", file=sys.stderr)
            return 1
    problems = guide_problems()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"{copy_pictures()} pictures copied to {IMAGE_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
