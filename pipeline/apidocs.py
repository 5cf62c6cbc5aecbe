"""The service's API page (``/docs``): its OpenAPI description as plain
HTML that loads nothing from anywhere (FastAPI's Swagger and ReDoc pages load
their scripts and fonts from a CDN, blank offline)."""

from __future__ import annotations

from html import escape


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
