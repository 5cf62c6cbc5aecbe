"""The service's API as it is described: the query parameters the settings
schema makes (``settings_query``), and the API page (``/docs``), its OpenAPI
description as plain HTML that loads nothing from anywhere (FastAPI's Swagger
and ReDoc pages load their scripts and fonts from a CDN, blank offline)."""

from __future__ import annotations

import inspect
from html import escape

from fastapi import Query

QUERY_KINDS = {"choice": "one of", "text": "text", "flag": "true or false",
               "variant": "a PDF variant of the installed WeasyPrint, or none",
               "length": "a length such as 3mm, or a number of millimetres"}
"""The schema kinds a request may set in its query, and how the description
says them: each comes as text and is checked by the schema's one validator
(``schema.checked``), in its words, as from every other way in."""


def settings_fields() -> list[str]:
    """The build settings a request's query may set (``schema.SCHEMA``)."""
    from .schema import SCHEMA
    return [o.field for o in SCHEMA if o.field and o.kind in QUERY_KINDS
            and o.field != "reference_page"]  # a reference DOCX is not offered here


def settings_query():
    """A FastAPI dependency taking every build setting of the schema
    (``schema.SCHEMA``) from the query under its ``BuildSettings`` field's
    name (``paper``, ``bleed_mm``…), and giving those that were set; the
    OpenAPI description lists them from the same schema."""
    from .schema import SCHEMA
    fields = settings_fields()
    options = [o for o in SCHEMA if o.field in fields]
    parameters = []
    for o in options:
        described = o.help + f" — {QUERY_KINDS[o.kind]}" + (
            f" {', '.join(map(str, o.choices))}" if o.choices else "")
        parameters.append(inspect.Parameter(o.field, inspect.Parameter.KEYWORD_ONLY,
                                            default=Query(None, description=described),
                                            annotation=str | None))

    def chosen(**values) -> dict:
        return {k: v for k, v in values.items() if v is not None}
    chosen.__signature__ = inspect.Signature(parameters, return_annotation=dict)
    return chosen



def docs_page(spec: dict) -> str:
    """The API described from its OpenAPI document, as a page that loads
    nothing from anywhere."""
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = "".join(f"<li><code>{escape(p['name'])}</code> — "
                             f"{escape(p.get('description') or '')}</li>"
                             for p in op.get("parameters", []))
            body = ", ".join(op.get("requestBody", {}).get("content", {}))
            rows.append(f"<h2><code>{method.upper()} {escape(path)}</code></h2>"
                        f"<p>{escape(op.get('summary', ''))}</p>"
                        + (f"<p>Body: {escape(body)}</p>" if body else "")
                        + (f"<ul>{params}</ul>" if params else ""))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(spec['info']['title'])} API</title></head><body>"
            f"<h1>{escape(spec['info']['title'])} {escape(spec['info']['version'])}</h1>"
            "<p>The OpenAPI description: <a href=\"/openapi.json\">/openapi.json</a></p>"
            + "".join(rows) + "</body></html>")
