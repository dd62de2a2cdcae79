"""The README a newcomer reads in two minutes, and the pages it leads to (issue 21).

The README stays short with its two commands on the first screen; it shows the demo's
logins exactly as ``make demo`` prints them; and every relative link or image in the
README and in ``docs/`` points at a file that exists, and at a heading that exists there.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: ``[text](target)`` and ``![alt](target)``, and ``src="…"`` / ``href="…"`` in inline HTML.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?:src|href)=\"([^\"]+)\"")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")


def documents() -> list[Path]:
    """The README and every page in ``docs/``."""
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: links and code marks dropped, punctuation removed,
    lower case, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a markdown text: its headings' slugs (repeats numbered as GitHub
    numbers them) and any explicit ``<a id="…">``."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found | set(EXPLICIT_ANCHOR.findall(text))


def links(text: str) -> list[str]:
    """The link and image targets of a markdown text, outside code blocks and code spans."""
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    return [a or b for a, b in LINK.findall(prose)]


def broken_links(document: Path, text: str | None = None) -> list[str]:
    """Each relative link of ``document`` whose file, or heading, does not exist."""
    text = document.read_text(encoding="utf-8") if text is None else text
    broken = []
    for target in links(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: … : not ours to check
            continue
        path, _, anchor = target.partition("#")
        file = (document.parent / path).resolve() if path else document
        if not file.exists():
            broken.append(f"{target}: no such file")
            continue
        if anchor and file.suffix == ".md":
            other = text if file == document else file.read_text(encoding="utf-8")
            if anchor not in anchors(other):
                broken.append(f"{target}: no heading #{anchor} in {file.name}")
    return broken


def test_it_keeps_the_readme_under_250_lines():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250, f"README.md has {len(lines)} lines: move a topic to docs/"


def test_it_shows_make_demo_and_make_test_in_the_readmes_first_40_lines():
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:40])
    assert "make demo" in first_screen
    assert "make test" in first_screen


def test_the_readme_shows_the_demo_logins_exactly_as_make_demo_prints_them():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    printed = [line for line in re.findall(r'^\t@echo "(.+)"$', makefile, re.M)
               if "$(" not in line]
    logins = [line for line in printed if "password" in line or "democode" in line
              or "tj-hogar-000" in line]
    assert len(logins) == 3, printed  # the logins, Tijuana's logins, the second factor's code
    readme = README.read_text(encoding="utf-8")
    for line in logins:
        assert line in readme, f"make demo prints {line!r}; the README should show it"


def test_every_relative_link_in_the_readme_and_docs_points_at_a_file_and_heading_that_exist():
    broken = {doc.relative_to(ROOT).as_posix(): bad for doc in documents()
              if (bad := broken_links(doc))}
    assert broken == {}


def test_the_readme_links_every_page_for_readers():
    readme = README.read_text(encoding="utf-8")
    readme_links = {target.partition("#")[0] for target in links(readme)}
    for page in ("members", "coordinators", "organizers", "operators", "api", "planner",
                 "planning-formats", "world", "economy", "benchmarks", "federation"):
        assert f"docs/{page}.md" in readme_links, f"the README does not link docs/{page}.md"


def test_each_page_for_readers_starts_with_what_its_reader_wants_to_do():
    for page in ("members", "coordinators", "organizers", "operators", "api", "planner",
                 "benchmarks", "developers", "world", "economy"):
        text = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
        before_sections = text.split("\n## ", 1)[0]
        assert "You want to…" in before_sections, f"docs/{page}.md"
        wants = re.findall(r"^- .*\]\(#", before_sections, re.M)
        assert len(wants) >= 3, f"docs/{page}.md's list links fewer than 3 of its sections"


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## A heading: with `code` (2017)\n")
    page = tmp_path / "page.md"
    text = ("# Page\n\n## Here\n\n[ok](other.md#a-heading-with-code-2017) [self](#here) "
            "[gone](missing.md) [no heading](other.md#nowhere) [web](https://example.org/x) "
            "<img src=\"img/none.png\">\n\n```\n[in code](nowhere.md)\n```\n")
    page.write_text(text)
    assert broken_links(page) == ["missing.md: no such file",
                                  "other.md#nowhere: no heading #nowhere in other.md",
                                  "img/none.png: no such file"]
