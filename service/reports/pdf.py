"""The PDF edition: WeasyPrint lays out a report page as A4, pikepdf joins laid-out files.

This module imports WeasyPrint and pikepdf (about two seconds together), so it is imported
where a PDF is made, never when the app starts (:mod:`service.reports.render`).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from functools import cache
from typing import Any

import pikepdf
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from service import TEMPLATES
from service.reports.context import KEY_CSS
from service.reports.render import FIGURE, ReportError


class FigureFetcher(URLFetcher):
    """Serves a page's own figures (``figure:NAME``) to WeasyPrint and refuses everything
    else, so a PDF never reads a file or a host whatever the page holds. Passing images
    this way rather than as ``data:`` URIs spares the HTML parser hundreds of kilobytes of
    base64 and WeasyPrint a decoding."""

    def __init__(self, figures: Mapping[str, bytes]) -> None:
        super().__init__(fail_on_errors=True)
        self._figures = figures

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        name = url.removeprefix(FIGURE)
        if name == url or name not in self._figures:
            raise ReportError(f"a report page may show only its own figures, not {url!r}")
        return URLFetcherResponse(
            url, body=self._figures[name], headers={"Content-Type": "image/jpeg"}
        )


@cache
def _stylesheet() -> CSS:
    """``templates/reports/report.css`` and :data:`KEY_CSS`, parsed once per process:
    WeasyPrint compiles a page's own ``<style>`` again for every page it lays out."""
    return CSS(string=(TEMPLATES / "reports" / "report.css").read_text() + KEY_CSS)


_FONTS = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, kept: WeasyPrint otherwise makes a new one, with
    a new Pango font map whose font caches start empty, for every document (about 4 % of a
    report's time). Per thread, because a Pango font map is not safe to share between the
    web server's threads."""
    config = getattr(_FONTS, "config", None)
    if config is None:
        config = _FONTS.config = FontConfiguration()
    return config


def pdf_document(html: str, *, figures: Mapping[str, bytes]) -> Document:
    """Lay out a report page as A4 PDF pages with the report stylesheet; its images are
    ``figures`` (JPEG) by name."""
    return HTML(string=html, url_fetcher=FigureFetcher(figures)).render(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )


def combine_pdf(cover: bytes, reports: Sequence[tuple[str, bytes]]) -> bytes:
    """One PDF of the ``cover`` and then each (title, PDF) of ``reports`` in order, every
    page as its own file laid it out (its own page numbers and marking), with a bookmark
    for each and the cover's metadata. The files are joined by qpdf (pikepdf), not laid out
    again: a fraction of a second for a whole force."""
    with ExitStack() as stack:
        combined = stack.enter_context(pikepdf.new())
        files = [("Index", cover), *reports]
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(pdf))) for _, pdf in files]
        with combined.open_outline() as outline:
            for (title, _), source in zip(files, sources, strict=True):
                outline.root.append(pikepdf.OutlineItem(title, len(combined.pages)))
                combined.pages.extend(source.pages)
        for key, value in sources[0].docinfo.items():
            combined.docinfo[key] = value
        buffer = io.BytesIO()
        combined.save(buffer)
    return buffer.getvalue()
