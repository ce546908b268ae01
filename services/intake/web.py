"""The public form "Report a child who may be missing education": GOV.UK Frontend, no JavaScript.

GET /report shows the form. POST /report checks it (services/intake/form.py): errors re-show the
form with an error summary (400); a good report goes to intake's desk, and the browser is sent on
(303, Post/Redirect/Get) to /report/sent, which shows only the reference. The form needs no
sign-in, so each body is size-limited and each client rate-limited (services/intake/ratelimit.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException
from starlette.types import Message

from schemas.v1.common import ReportChannel
from services.intake.deps import Desk, ReportLimiter
from services.intake.form import (
    CONCERN_MAX,
    DOB,
    GENDER_LABELS,
    OTHER_CHILDREN,
    RISK_LABELS,
    WHERE_SEEN_MAX,
    FormError,
    concern_from_form,
    risk_field,
)
from services.intake.ratelimit import Rate, client_key
from services.intake.requests import ConcernReport

if TYPE_CHECKING:
    from services.intake.desk import IntakeDesk

log = structlog.get_logger(__name__)

SERVICE_NAME: Final = "Report a child missing education"
FORM_CONTENT_TYPE: Final = "application/x-www-form-urlencoded"
MAX_BODY_BYTES: Final = 32 * 1024
MAX_FIELDS: Final = 100
CSS: Final = "govuk-frontend-5.14.0.min.css"
HERE: Final = Path(__file__).parent
STATIC_FILES: Final[Mapping[str, tuple[Path, str]]] = MappingProxyType(
    {CSS: (HERE / "static" / CSS, "text/css; charset=utf-8")}
)
"""The only files GET /static/{name} serves; each name carries its version, so caching is long."""

_REFERENCE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
_SECURITY_HEADERS: Final = MappingProxyType(
    {
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }
)
_STATIC_HEADERS: Final = MappingProxyType(
    {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}
)

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)
web_router = APIRouter(tags=["public form"], include_in_schema=False)


@web_router.get("/report", name="public_form")
async def show_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return _form_page(request, {}, [])


@web_router.post("/report", name="public_form_submit")
async def submit_form(request: Request, desk: Desk, limiter: ReportLimiter) -> Response:
    """Check a report: show its errors, or hand it to the desk and redirect to its reference."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    report = concern_from_form(posted.fields, desk.today())
    if isinstance(report, list):
        return _form_page(request, posted.fields, report, status=400)
    admission = limiter.take(client_key(request.client.host if request.client else None))
    if not admission.allowed:
        return _too_many(request, limiter.rate, admission.retry_after)
    return await _hand_over(request, desk, report, posted)


async def _hand_over(
    request: Request, desk: IntakeDesk, report: ConcernReport, posted: _Posted
) -> Response:
    try:
        receipt = await desk.receive_concern(
            report,
            channel=ReportChannel.WEB_FORM,
            original=posted.body,
            content_type=FORM_CONTENT_TYPE,
        )
    except Exception:  # whatever failed, the person keeps their answers and can send again
        log.exception("intake.public_form.not_received")
        return _form_page(request, posted.fields, [], status=503, unavailable=True)
    log.info("intake.public_form.received", reference=receipt.reference)
    sent = request.url_for("public_form_sent").include_query_params(reference=receipt.reference)
    return RedirectResponse(f"{sent.path}?{sent.query}", status_code=303)


@web_router.get("/report/sent", name="public_form_sent")
async def report_sent(request: Request, reference: str = "") -> HTMLResponse:
    """The confirmation: the reference, and what happens next."""
    if not _REFERENCE.fullmatch(reference):
        return _problem(request, 404, "Page not found", _NOT_FOUND)
    return _page(request, "sent.html", {"reference": reference})


@web_router.get("/static/{name}", name="public_form_static")
async def static_file(name: str) -> Response:
    """The form's stylesheet (known names only)."""
    if name not in STATIC_FILES:
        return Response(status_code=404)
    path, media_type = STATIC_FILES[name]
    return FileResponse(path, media_type=media_type, headers=_STATIC_HEADERS)


@dataclass(frozen=True)
class _Posted:
    body: bytes
    fields: dict[str, str]


async def _posted(request: Request) -> _Posted | HTMLResponse:
    """The body as sent and its fields, or the page saying why they cannot be read."""
    if _media_type(request) != FORM_CONTENT_TYPE:
        return _problem(request, 415, "We could not read your report", _UNREADABLE)
    body = await _body_within(request, MAX_BODY_BYTES)
    if body is None:
        return _problem(request, 413, "Your report is too long", _TOO_LONG)
    fields = await _fields(request, body)
    if fields is None:
        return _problem(request, 400, "We could not read your report", _UNREADABLE)
    return _Posted(body, fields)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


async def _body_within(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def _fields(request: Request, body: bytes) -> dict[str, str] | None:
    """The fields of a body already read (python-multipart parses it from the bytes), or None
    when it has more than MAX_FIELDS."""

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=0, max_fields=MAX_FIELDS)
    except HTTPException:
        return None
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


def _form_page(
    request: Request,
    values: Mapping[str, str],
    errors: Sequence[FormError],
    *,
    status: int = 200,
    unavailable: bool = False,
) -> HTMLResponse:
    context = {
        "values": values,
        "errors": errors,
        "has_errors": bool(errors),
        "field_errors": {e.field_id: e.message for e in reversed(errors)},
        "dob": _date_view(values, errors),
        "genders": [(gender.value, label) for gender, label in GENDER_LABELS.items()],
        "risks": [(risk_field(r), label, hint) for r, (label, hint) in RISK_LABELS.items()],
        "other_children": range(1, OTHER_CHILDREN + 1),
        "limits": {"where_seen": f"{WHERE_SEEN_MAX:,}", "concern": f"{CONCERN_MAX:,}"},
        "unavailable": unavailable,
    }
    private = bool(values)  # what the person typed must not be kept by any cache
    return _page(request, "report.html", context, status=status, store=not private)


def _date_view(values: Mapping[str, str], errors: Sequence[FormError]) -> dict[str, Any]:
    """The date of birth's error, and which of its boxes to highlight (GOV.UK date pattern)."""
    error = next((e for e in errors if e.field_id.startswith(f"{DOB}-")), None)
    if error is None:
        return {"error": None, "highlight": ()}
    parts = ("day", "month", "year")
    blank = tuple(p for p in parts if not values.get(f"{DOB}-{p}", "").strip())
    named = error.field_id.removeprefix(f"{DOB}-")
    highlight = blank or ((named,) if named != "day" else parts)
    return {"error": error.message, "highlight": highlight}


def _too_many(request: Request, rate: Rate, retry_after: float) -> HTMLResponse:
    minutes = max(1, round(retry_after / 60))
    paragraphs = (
        f"To protect this service, one connection can send up to {rate.reports} reports in "
        f"{_duration(rate.per_seconds)}.",
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}. Use your browser's back "
        "button to return to your report.",
    )
    return _problem(
        request,
        429,
        "You have sent a lot of reports in a short time",
        paragraphs,
        headers={"Retry-After": str(max(1, round(retry_after)))},
    )


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour{'s' if seconds != 3600 else ''}"
    if seconds % 60 == 0:
        return f"{seconds // 60} minute{'s' if seconds != 60 else ''}"
    return f"{seconds} seconds"


_UNREADABLE: Final = (
    "Your browser sent the report in a way we do not accept.",
    "Go back to the form and send it again. If that does not work, try another browser.",
)
_TOO_LONG: Final = (
    f"We can accept up to {MAX_BODY_BYTES // 1024} KB in one report.",
    "Use your browser's back button to return to your report, make the longest answers shorter "
    "and send it again.",
)
_NOT_FOUND: Final = ("If you typed the web address, check it is correct.",)


def _problem(
    request: Request,
    status: int,
    heading: str,
    paragraphs: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    context = {"heading": heading, "paragraphs": paragraphs}
    return _page(request, "problem.html", context, status=status, headers=headers)


def _page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    store: bool = False,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    paths = {
        "css": request.url_for("public_form_static", name=CSS).path,
        "form": request.url_for("public_form").path,
        "submit": request.url_for("public_form_submit").path,
    }
    caching = {"Cache-Control": "no-cache" if store else "no-store"}
    return templates.TemplateResponse(
        request,
        template,
        {"service_name": SERVICE_NAME, "paths": paths, "has_errors": False, **context},
        status_code=status,
        headers={**_SECURITY_HEADERS, **caching, **(headers or {})},
    )
