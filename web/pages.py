"""HTML pages over the same service functions as the GraphQL API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from kith.errors import InvalidInput
from kith.service import SearchRequest

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


async def directory(request: Request) -> HTMLResponse:
    """The public directory: one search box, a postcode and a radius."""
    kith = request.app.state.kith
    text = request.query_params.get("text", "").strip()
    postcode = request.query_params.get("postcode", "").strip()
    radius = request.query_params.get("radius", "5")
    page, error = None, None
    if text or postcode:
        try:
            near = await asyncio.to_thread(kith.place, postcode, None, None) if postcode else None
            radius_km = float(radius) if radius.replace(".", "", 1).isdigit() else -1.0
            search = SearchRequest(text=text or None, near=near, radius_km=radius_km)
            page = await asyncio.to_thread(kith.search, search)
        except InvalidInput as exc:
            error = exc
    context = {"text": text, "postcode": postcode, "radius": radius, "page": page, "error": error}
    return templates.TemplateResponse(request, "directory.html", context)


def routes() -> list[BaseRoute]:
    return [Route("/", directory)]
