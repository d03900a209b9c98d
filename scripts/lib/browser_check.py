#!/usr/bin/env python3
"""Checks one `traj report` directory as a browser rendered it (called by scripts/browser-check).

Inputs: the report directory (report.html, report.md, figures/*.svg, results.json), the DOM
that headless Chromium serialised with --dump-dom, the printed PDF and the screenshot. Checks:
  - the page has the title and the sections the report builder writes (Data, one
    "Model: NAME (ROLE)" per model with its Diagnostics, Model comparison when there are two
    models or more, Methods);
  - the DOM holds exactly one inline <svg> per figure listed in results.json, in order, each
    in <figure id="figure-NAME">, and every figures/NAME.svg exists;
  - no <script> element, no event-handler or unexpected attribute, no element outside the
    set the HTML renderer and the SVG writer produce: in the source and in the browser's DOM;
  - every string given with --literal reaches the reader as literal text (a DOM text node
    contains it) and never appears unescaped in the HTML source;
  - every inline SVG and every figures/*.svg parses as XML with an <svg> root;
  - the PDF is a PDF with at least one page and a non-trivial size; the screenshot is a PNG.
Prints one line per failure and exits 1 if there is any.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SVG_NS = "{http://www.w3.org/2000/svg}"

# What HTMLRenderer and SVGWriter write; anything else in the DOM came from data.
HTML_ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "p", "ul", "li", "pre", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption",
}
SVG_ELEMENTS = {"svg", "title", "rect", "line", "polyline", "polygon", "circle", "text", "g"}
ATTRIBUTES = {
    "lang", "charset", "name", "content", "id", "class", "xmlns", "width", "height", "viewbox",
    "font-family", "font-size", "font-weight", "role", "x", "y", "x1", "y1", "x2", "y2", "cx",
    "cy", "r", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray",
    "stroke-opacity", "points", "text-anchor", "transform",
}


class Page(HTMLParser):
    """Elements, attributes, text nodes and headings of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs)
        self.texts = []
        self.headings = []  # (level, text)
        self.title = None
        self._heading = None
        self._in_title = False
        self._svg_depth = 0
        self.svg_count = 0
        self.figure_ids = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "svg":
            self._svg_depth += 1
            self.svg_count += 1
        if tag == "figure":
            self.figure_ids.append(dict(attrs).get("id"))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        if tag == "title" and self._svg_depth == 0:
            self._in_title = True
            self.title = ""

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg_depth -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], self._heading[1]))
            self._heading = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        self.texts.append(data)
        if self._heading is not None:
            self._heading[1] += data
        if self._in_title:
            self.title += data


def parse(text):
    page = Page()
    page.feed(text)
    page.close()
    return page


def check_structure(page, where, fail):
    for tag, attrs in page.elements:
        if tag == "script":
            fail(f"{where}: a <script> element is in the page")
        elif tag not in HTML_ELEMENTS and tag not in SVG_ELEMENTS:
            fail(f"{where}: unexpected element <{tag}> (markup from the data?)")
        for name, value in attrs:
            if name.startswith("on"):
                fail(f"{where}: event-handler attribute {name}={value!r} on <{tag}>")
            elif name not in ATTRIBUTES:
                fail(f"{where}: unexpected attribute {name}={value!r} on <{tag}>")
            elif name == "id" and not re.fullmatch(r"[A-Za-z0-9_-]+", value or ""):
                fail(f"{where}: id {value!r} on <{tag}> is not a plain name")


def inline_svgs(source):
    """The inline SVG documents of the HTML source, as written (SVG is not nested)."""
    return re.findall(r"<svg\b.*?</svg>", source, flags=re.S)


def check_xml(text, where, fail):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        fail(f"{where}: not well-formed XML: {error}")
        return
    if root.tag != SVG_NS + "svg":
        fail(f"{where}: root element is {root.tag}, not an SVG <svg>")


def expected_headings(results):
    """The headings ReportBuilder writes for these results: (level, text)."""
    headings = [(2, "Data")]
    for model in results["models"]:
        headings.append((2, f"Model: {model['name']} ({model['role']})"))
    if len(results["models"]) >= 2:
        headings.append((2, "Model comparison"))
    headings.append((2, "Methods"))
    return headings


def pdf_pages(data):
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def check(report, dom_path, pdf_path, png_path, literals):
    """The failures of one rendered report and a one-line summary."""
    failures = []
    fail = failures.append
    name = report

    def read(path, mode="r"):
        try:
            with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
                return f.read()
        except OSError as error:
            fail(f"{name}: cannot read {path}: {error}")
            return b"" if "b" in mode else ""

    results = json.loads(read(os.path.join(report, "results.json")) or "{}")
    source = read(os.path.join(report, "report.html"))
    dom = read(dom_path)
    if not dom.strip():
        fail(f"{name}: the browser's DOM dump is empty")
    figures = results.get("figures", [])
    title = results.get("title", "")

    source_page = parse(source)
    dom_page = parse(dom)
    check_structure(source_page, f"{name} report.html", fail)
    check_structure(dom_page, f"{name} DOM", fail)

    # Sections.
    if dom_page.title != title:
        fail(f"{name} DOM: <title> is {dom_page.title!r}, expected {title!r}")
    h1 = [text for level, text in dom_page.headings if level == 1]
    if h1 != [title]:
        fail(f"{name} DOM: <h1> headings are {h1!r}, expected [{title!r}]")
    for level, text in expected_headings(results) if results else []:
        if (level, text) not in dom_page.headings:
            fail(f"{name} DOM: missing <h{level}> {text!r}; present: {dom_page.headings!r}")
    diagnostics = sum(1 for h in dom_page.headings if h == (3, "Diagnostics"))
    if results and diagnostics != len(results["models"]):
        fail(f"{name} DOM: {diagnostics} 'Diagnostics' sections for "
             f"{len(results['models'])} models")

    # Figures.
    if dom_page.svg_count != len(figures):
        fail(f"{name} DOM: {dom_page.svg_count} inline <svg>, results.json lists "
             f"{len(figures)} figures")
    wanted_ids = [f"figure-{figure}" for figure in figures]
    if dom_page.figure_ids != wanted_ids:
        fail(f"{name} DOM: figure ids {dom_page.figure_ids!r}, expected {wanted_ids!r}")
    svgs = inline_svgs(source)
    if len(svgs) != len(figures):
        fail(f"{name} report.html: {len(svgs)} inline SVGs, expected {len(figures)}")
    for k, svg in enumerate(svgs):
        check_xml(svg, f"{name} report.html inline SVG {k + 1}", fail)
    figure_dir = os.path.join(report, "figures")
    for k, figure in enumerate(figures):
        path = os.path.join(figure_dir, figure + ".svg")
        if not os.path.isfile(path):
            fail(f"{name}: results.json lists figure {figure!r} but {path} is missing")
            continue
        text = read(path)
        check_xml(text, path, fail)
        if k < len(svgs) and svgs[k].strip() != text.strip():
            fail(f"{name}: inline SVG {k + 1} differs from {path}")
    on_disk = sorted(f[:-4] for f in os.listdir(figure_dir) if f.endswith(".svg")) \
        if os.path.isdir(figure_dir) else []
    if on_disk != sorted(figures):
        fail(f"{name}: figures/ holds {on_disk!r}, results.json lists {sorted(figures)!r}")

    # User-supplied strings: literal text for the reader, escaped in the source.
    for literal in literals:
        if not any(literal in text for text in dom_page.texts):
            fail(f"{name} DOM: {literal!r} does not appear as literal text")
        if re.search(r"[<>&\"]", literal) and literal in source:
            fail(f"{name} report.html: {literal!r} appears unescaped in the source")

    # PDF and screenshot.
    pdf = read(pdf_path, "rb")
    pages = pdf_pages(pdf)
    if not pdf.startswith(b"%PDF-"):
        fail(f"{pdf_path}: not a PDF")
    elif pages < 1:
        fail(f"{pdf_path}: no pages")
    elif len(pdf) < 10_000:
        fail(f"{pdf_path}: only {len(pdf)} bytes")
    png = read(png_path, "rb")
    size = (0, 0)
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) < 24:
        fail(f"{png_path}: not a PNG")
    else:
        size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    summary = (f"{len(dom_page.headings)} headings, {len(figures)} figures (inline SVG and "
               f"figures/*.svg well-formed), no script or injected markup, {len(literals)} "
               f"literal strings, PDF {pages} pages {len(pdf) // 1024} KiB, "
               f"PNG {size[0]}x{size[1]}")
    return failures, summary


def self_test(report, dom, pdf, png, literals):
    """The checker must catch what it is for: broken copies of a passing report must fail."""
    with open(os.path.join(report, "report.html"), encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(report, "results.json"), encoding="utf-8") as f:
        figures = json.load(f)["figures"]
    first_svg = inline_svgs(source)[0]
    level = literals[0] if literals else "<b>x</b>"
    cases = {
        "an unescaped user string": source.replace("</h1>", level + "</h1>", 1),
        "a script element": source.replace("<main>", "<main><script>alert(1)</script>", 1),
        "an event-handler attribute":
            source.replace("<table>", "<table onmouseover=\"alert(1)\">", 1),
        "an injected element": source.replace("<main>", "<main><img src=x>", 1),
        "a missing figure": source.replace(first_svg, "", 1),
        "a missing section": re.sub(r"<h2[^>]*>Methods</h2>", "", source),
        "an inline SVG that is not XML": source.replace(first_svg, first_svg.replace(
            "</text>", "</txt>", 1), 1),
    }
    bad = []
    with tempfile.TemporaryDirectory() as scratch:
        for case, html in cases.items():
            copy = os.path.join(scratch, "report")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(report, copy)
            with open(os.path.join(copy, "report.html"), "w", encoding="utf-8") as f:
                f.write(html)
            # The broken source stands for the DOM: it is what a browser would have parsed.
            dom_copy = os.path.join(scratch, "dom.html")
            with open(dom_copy, "w", encoding="utf-8") as f:
                f.write(html)
            if not check(copy, dom_copy, pdf, png, literals)[0]:
                bad.append(case)
        copy = os.path.join(scratch, "report")
        shutil.rmtree(copy)
        shutil.copytree(report, copy)
        with open(os.path.join(copy, "figures", figures[0] + ".svg"), "a",
                  encoding="utf-8") as f:
            f.write("<unclosed>")
        if not check(copy, dom, pdf, png, literals)[0]:
            bad.append("a figure file that is not XML")
        with open(os.path.join(scratch, "empty.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n%%EOF\n")
        if not check(report, dom, os.path.join(scratch, "empty.pdf"), png, literals)[0]:
            bad.append("a PDF without pages")
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", required=True, help="the report directory")
    parser.add_argument("--dom", required=True, help="Chromium's --dump-dom output")
    parser.add_argument("--pdf", required=True, help="Chromium's --print-to-pdf output")
    parser.add_argument("--png", required=True, help="Chromium's --screenshot output")
    parser.add_argument(
        "--literal", action="append", default=[],
        help="a user-supplied string that must show as literal text (repeatable)")
    parser.add_argument(
        "--self-test", action="store_true",
        help="also check that broken copies of this (passing) report fail")
    args = parser.parse_args()

    failures, summary = check(args.report, args.dom, args.pdf, args.png, args.literal)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"ok {args.report}: {summary}")
    if args.self_test:
        missed = self_test(args.report, args.dom, args.pdf, args.png, args.literal)
        for case in missed:
            print(f"FAIL checker self-test: {case} was not caught", file=sys.stderr)
        if missed:
            return 1
        print("ok checker self-test: broken copies of the report fail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
