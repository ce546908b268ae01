"""The public form's routes, in process: pages, Post/Redirect/Get, limits, headers, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI

from schemas.v1.common import ReportChannel, RiskIndicator
from services.intake.deps import get_desk, get_report_limiter
from services.intake.form import CHILD_FIELDS, other_child_field, risk_field
from services.intake.ratelimit import Rate, TokenBucket
from services.intake.requests import ConcernReport, Receipt
from services.intake.web import CSS, MAX_BODY_BYTES, web_router

FORM = "application/x-www-form-urlencoded"
GOOD = {"concern": "Not in school since September", "where-seen": "Mill Street, mornings"}


class FakeDesk:
    """Stands in for intake's storage: records what it is given and returns a fixed reference."""

    def __init__(self) -> None:
        self.received: list[tuple[ConcernReport, dict[str, Any]]] = []
        self.failing = False

    def today(self) -> date:
        return date(2026, 11, 28)

    async def receive_concern(self, report: ConcernReport, **details: Any) -> Receipt:
        if self.failing:
            raise ConnectionError("broker unavailable")
        self.received.append((report, details))
        return Receipt(reference="CME-TEST-0001", received_at=datetime.now(UTC))


class Page(HTMLParser):
    """The parts of a page the tests look at: form controls, labels, links, ids and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.classes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.ids.update([found["id"] or ""] if "id" in found else [])
        self.classes.extend((found.get("class") or "").split())
        if tag in {"input", "textarea", "select"}:
            self.controls.append(found)
        elif tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")
        elif tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")


@pytest.fixture
def desk() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def limiter() -> TokenBucket:
    return TokenBucket(Rate(2, 600))


@pytest.fixture
async def client(desk: FakeDesk, limiter: TokenBucket) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(web_router, prefix="/intake")
    app.dependency_overrides[get_desk] = lambda: desk
    app.dependency_overrides[get_report_limiter] = lambda: limiter
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
        yield http


async def post(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    return await client.post(
        "/intake/report", content=urlencode(fields), headers={"content-type": FORM}
    )


async def test_the_form_labels_every_control(client: httpx.AsyncClient) -> None:
    response = await client.get("/intake/report")
    page = Page(response.text)

    assert response.status_code == 200
    assert '<html lang="en-GB"' in response.text
    title = "Report a child who may be missing education - Report a child missing education"
    assert f"<title>{title}</title>" in response.text
    assert page.controls
    assert {c["id"] for c in page.controls} <= page.labels
    assert "govuk-error-summary" not in page.classes


async def test_the_form_asks_for_every_field_the_form_reader_reads(
    client: httpx.AsyncClient,
) -> None:
    names = {c["name"] for c in Page((await client.get("/intake/report")).text).controls}

    read = {*CHILD_FIELDS, "child-gender", "where-seen", "concern"}
    read |= {risk_field(r) for r in RiskIndicator}
    read |= {other_child_field(n, p) for n in (1, 2, 3) for p in ("first-name", "last-name", "age")}
    read |= {
        "reporter-name",
        "reporter-relationship",
        "reporter-organisation",
        "reporter-phone",
        "reporter-email",
    }
    assert names == read


async def test_a_blank_form_comes_back_with_an_error_summary_linking_to_each_field(
    client: httpx.AsyncClient, desk: FakeDesk
) -> None:
    response = await post(client, {"concern": "", "child-first-name": "  "})
    page = Page(response.text)

    assert response.status_code == 400
    assert "<title>Error: Report a child who may be missing education" in response.text
    assert "There is a problem" in response.text
    assert page.links[page.links.index("#where-seen") + 1] == "#concern"
    assert {"where-seen", "concern"} <= page.ids
    assert page.classes.count("govuk-form-group--error") == 2
    assert 'id="concern-error"' in response.text
    assert response.headers["cache-control"] == "no-store"
    assert desk.received == []


async def test_values_are_kept_and_escaped_when_the_form_comes_back(
    client: httpx.AsyncClient,
) -> None:
    response = await post(
        client, {"concern": "", "child-first-name": '<b>"Amy"</b>', "where-seen": "park"}
    )

    assert 'value="&lt;b&gt;&#34;Amy&#34;&lt;/b&gt;"' in response.text
    assert ">park</textarea>" in response.text


async def test_a_date_error_highlights_only_the_missing_part(client: httpx.AsyncClient) -> None:
    response = await post(client, {**GOOD, "child-dob-day": "3", "child-dob-year": "2015"})

    assert '<a href="#child-dob-month">Date of birth must include a month</a>' in response.text
    assert Page(response.text).classes.count("govuk-input--error") == 1


async def test_a_good_report_goes_to_the_desk_and_the_browser_is_redirected_to_the_reference(
    client: httpx.AsyncClient, desk: FakeDesk
) -> None:
    body = urlencode({**GOOD, risk_field(RiskIndicator.SEXUAL_EXPLOITATION): "yes"})
    response = await client.post("/intake/report", content=body, headers={"content-type": FORM})

    assert response.status_code == 303
    assert response.headers["location"] == "/intake/report/sent?reference=CME-TEST-0001"
    [(report, details)] = desk.received
    assert report.concern == GOOD["concern"]
    assert report.risk_indicators == (RiskIndicator.SEXUAL_EXPLOITATION,)
    assert details == {
        "channel": ReportChannel.WEB_FORM,
        "original": body.encode(),
        "content_type": FORM,
    }


async def test_the_confirmation_shows_only_the_reference(client: httpx.AsyncClient) -> None:
    response = await client.get("/intake/report/sent?reference=CME-TEST-0001")

    assert response.status_code == 200
    assert "Your reference number<br><strong>CME-TEST-0001</strong>" in response.text
    assert "What happens next" in response.text


@pytest.mark.parametrize("reference", ["", "<script>", "x" * 65])
async def test_a_confirmation_for_no_real_reference_is_not_found(
    client: httpx.AsyncClient, reference: str
) -> None:
    response = await client.get("/intake/report/sent", params={"reference": reference})

    assert response.status_code == 404
    assert "<script>" not in response.text


async def test_a_body_over_32_kb_is_refused_with_a_page(
    client: httpx.AsyncClient, desk: FakeDesk
) -> None:
    response = await post(client, {**GOOD, "where-seen": "x" * MAX_BODY_BYTES})

    assert response.status_code == 413
    assert "Your report is too long" in response.text
    assert desk.received == []


async def test_a_chunked_body_over_32_kb_is_refused_too(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"concern=worried&where-seen="
        for _ in range(40):
            yield b"x" * 1024

    response = await client.post("/intake/report", content=chunks(), headers={"content-type": FORM})

    assert response.status_code == 413


async def test_a_body_that_is_not_a_form_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/intake/report", json=GOOD)

    assert response.status_code == 415
    assert "We could not read your report" in response.text


async def test_a_body_with_more_fields_than_the_form_has_is_refused_with_a_page(
    client: httpx.AsyncClient,
) -> None:
    response = await post(client, {**GOOD, **{f"extra-{n}": "" for n in range(100)}})

    assert response.status_code == 400
    assert "We could not read your report" in response.text


async def test_too_many_reports_from_one_client_are_refused_until_later(
    client: httpx.AsyncClient, desk: FakeDesk
) -> None:
    await post(client, {"concern": ""})  # a form with errors costs nothing
    statuses = [(await post(client, GOOD)).status_code for _ in range(3)]
    refused = await post(client, GOOD)

    assert statuses == [303, 303, 429]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "300"
    assert "up to 2 reports in 10 minutes" in refused.text
    assert len(desk.received) == 2


async def test_when_the_desk_fails_the_person_keeps_their_answers(
    client: httpx.AsyncClient, desk: FakeDesk
) -> None:
    desk.failing = True
    response = await post(client, GOOD)

    assert response.status_code == 503
    assert "Sorry, we could not send your report just now." in response.text
    assert ">Not in school since September</textarea>" in response.text


async def test_pages_forbid_scripts_framing_and_other_sites(client: httpx.AsyncClient) -> None:
    response = await client.get("/intake/report")

    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text


async def test_the_stylesheet_is_served_for_a_long_time(client: httpx.AsyncClient) -> None:
    page = Page((await client.get("/intake/report")).text)
    response = await client.get(f"/intake/static/{CSS}")

    assert f"/intake/static/{CSS}" in response.request.url.path
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert "immutable" in response.headers["cache-control"]
    assert "GDS Transport" not in response.text
    assert "font-face" not in response.text
    assert page.links[0] == "#main-content"


@pytest.mark.parametrize("name", ["web.py", "..%2Fweb.py", "govuk-frontend.min.js", "README.md"])
async def test_only_known_static_files_are_served(client: httpx.AsyncClient, name: str) -> None:
    assert (await client.get(f"/intake/static/{name}")).status_code == 404
