"""``pipeline check`` of a web page: language and direction on <html>, nothing
that runs, nothing fetched from the network, and every file it loads beside it."""

from __future__ import annotations

import re
from pathlib import Path

from .check_report import RTL_LANGUAGES, Report

MAX_HTML_BYTES = 50 * 1024 * 1024
"""A web page is read whole to be checked: past this it is refused unread (the
web writer's pages are a few hundred kilobytes; its fonts and images are files
beside it)."""
EMBEDDING = ("iframe", "frame", "frameset", "object", "embed", "applet", "portal")
"""Elements that show another document, or run a plug-in, inside the page."""
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                "import"}
"""``<link rel>`` values whose target the browser loads with the page."""
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)
REMOTE = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//|\\\\)", re.I)


def check_html(path: Path, report: Report) -> None:
    from lxml import html as lxml_html

    from ..files import open_regular, size_of
    with open_regular(path) as page:
        if (size := size_of(page)) > MAX_HTML_BYTES:
            report.problems.append(f"is {size:,} bytes, over the {MAX_HTML_BYTES:,} a web "
                                   "page of one article may be: not read")
            return
        root = lxml_html.fromstring(page.read(MAX_HTML_BYTES + 1))
    lang, direction = root.get("lang", ""), root.get("dir", "")
    if not lang:
        report.problems.append("no language on <html>")
    if lang.split("-")[0].lower() in RTL_LANGUAGES and direction != "rtl":
        report.problems.append("<html> is not dir=\"rtl\"")
    if root.find(".//script") is not None:
        report.problems.append("holds a script")
    _check_active(root, report)
    _check_loads(root, path.parent, report)
    if not report.problems:
        report.passed.append(f"{lang}, {direction or 'ltr'}, no scripts, every file beside it")


def _check_active(root, report: Report) -> None:
    """Event handlers, script links, frames and refreshes: each runs or loads
    something the page's reader did not ask for."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if handlers := sorted(a for a in element.attrib if a.lower().startswith("on")):
            report.problems.append(f"has an event handler ({handlers[0]} on "
                                   f"<{element.tag}>)")
        if element.tag in EMBEDDING:
            report.problems.append(f"embeds another document (<{element.tag}>)")
        if element.tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            report.problems.append("sends the reader elsewhere (<meta http-equiv=refresh>)")
        for attribute, value in element.attrib.items():
            if SCRIPT_URL.match(value) and attribute.lower() in (
                    "href", "src", "action", "formaction", "data", "xlink:href", "poster"):
                report.problems.append(f"has a script link ({value.strip()[:40]!r} in "
                                       f"<{element.tag} {attribute}>)")


def _check_loads(root, folder: Path, report: Report) -> None:
    """Every image, style sheet and font the page loads is a file beside it:
    nothing from the network (a reader offline sees a broken page, a reader
    online is tracked) and nothing outside its folder."""
    missing, remote, outside = [], [], []
    inside = folder.resolve()
    for element, attribute, link, _pos in root.iterlinks():
        if element.tag in ("a", "area") or link.startswith(("#", "data:", "mailto:")):
            continue  # a hyperlink is followed only when the reader asks
        if element.tag == "link" and not LOADING_RELS & set(
                element.get("rel", "").lower().split()):
            continue  # canonical, alternate…: named, not loaded
        if element.tag == "form" or SCRIPT_URL.match(link):
            continue  # said by _check_active
        if REMOTE.match(link):
            remote.append(link)
            continue
        target = (folder / link.split("#")[0].split("?")[0]).resolve()
        if link.startswith("/") or not target.is_relative_to(inside):
            outside.append(link)
        elif not target.is_file():
            missing.append(link)
    if remote:
        report.problems.append(f"{len(remote)} files it loads come from the network: "
                               f"{remote[0][:80]}")
    if outside:
        report.problems.append(f"{len(outside)} files it loads are outside its folder: "
                               f"{outside[0][:80]}")
    if missing:
        report.problems.append(f"{len(missing)} files it loads are missing: {missing[0]}")
