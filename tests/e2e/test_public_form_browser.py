"""The public form in a real browser (Debian's Chromium, JavaScript off): a person reports a child
and gets a reference; a blank form shows the GOV.UK error summary; axe-core finds no accessibility
problem on any page. uvicorn serves the real hub's app on a loopback port, with intake and
eligibility running on the real broker and database behind it.

Retake the screenshot in the docs with
``.venv/bin/python -m tests.e2e.test_public_form_browser docs/images/public-form.png``.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright, expect
from sqlalchemy import select

from cmehub.http import create_app
from cmehub.runtime import Hub
from schemas.v1.common import ReportChannel, RiskIndicator
from services.catalogue import ALL_SERVICES
from services.intake.tables import submissions
from tests.support.hub import HubEnv, Probe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@asynccontextmanager
async def serving(hub: Hub) -> AsyncIterator[str]:
    """The real hub's HTTP app (every route, the real intake behind it) on a free loopback port.

    The socket listens before the server starts, so the browser's first request simply waits."""
    app = create_app(hub, [d for d in ALL_SERVICES if d.name in hub.services])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/intake/report"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()


def installed_chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser")
    return CHROMIUM


@asynccontextmanager
async def chromium(executable: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def hub(pg_hub_env: HubEnv) -> Hub:
    return await pg_hub_env.start(ALL_SERVICES, ["intake", "eligibility"])


@pytest.fixture
async def probe(hub: Hub) -> Probe:
    return await Probe(hub.connection, hub.topology.exchange).start(["eligibility.#"])


@pytest.fixture
async def form_url(hub: Hub) -> AsyncIterator[str]:
    async with serving(hub) as url:
        yield url


async def receipts(hub: Hub) -> list[Any]:
    async with hub.services["intake"].store.transaction() as tx:
        return list((await tx.session.execute(select(submissions))).all())


@pytest.fixture
def executable() -> Path:
    return installed_chromium()


@pytest.fixture
async def browser(executable: Path) -> AsyncIterator[Browser]:
    async with chromium(executable) as launched:
        yield launched


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context with JavaScript off: the form must work without it."""
    context = await browser.new_context(java_script_enabled=False)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def fill_in_a_report(page: Page) -> None:
    await page.get_by_label("First name (optional)", exact=True).fill("Amelia")
    await page.get_by_label("Where the child has been seen", exact=True).fill(
        "Outside the shops on Mill Street, most weekday mornings"
    )
    await page.get_by_label("Your concern", exact=True).fill(
        "She has not been at school since September."
    )
    await page.get_by_label("Sexual exploitation", exact=True).check()


async def send(page: Page) -> None:
    await page.get_by_role("button", name="Send report").click()


async def test_a_person_reports_a_child_and_sees_only_a_reference(
    page: Page, form_url: str, hub: Hub, probe: Probe
) -> None:
    await page.goto(form_url)
    await fill_in_a_report(page)
    await send(page)

    await expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    panel = page.locator(".govuk-panel__body")
    await expect(panel).to_contain_text("Your reference number")
    reference = await panel.locator("strong").inner_text()
    assert re.fullmatch(r"CME-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert page.url == f"{form_url}/sent?reference={reference}"

    [receipt] = await receipts(hub)
    assert (receipt.reference, receipt.channel) == (reference, ReportChannel.WEB_FORM.value)
    assert receipt.content_type == "application/x-www-form-urlencoded"
    [decision] = await probe.wait_for(
        "eligibility.cme-identified", lambda m: m["payload"]["reference"] == reference
    )
    payload = decision["payload"]
    assert payload["child"]["name"]["forenames"] == "Amelia"
    assert payload["risk_indicators"] == [RiskIndicator.SEXUAL_EXPLOITATION.value]


async def test_a_blank_form_shows_the_problems_first_with_links_to_the_fields(
    page: Page, form_url: str, hub: Hub
) -> None:
    await page.goto(form_url)
    await send(page)

    await expect(page).to_have_title(re.compile(r"^Error: Report a child who may be missing"))
    summary = page.locator(".govuk-error-summary")
    await expect(page.locator("main .govuk-grid-column-two-thirds > :first-child")).to_have_class(
        re.compile(r"\bgovuk-error-summary\b")
    )
    await expect(summary).to_be_focused()
    await expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    await expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    await expect(summary.get_by_role("link")).to_have_text(
        ["Tell us something about the child or where they were seen", "Enter your concern"]
    )
    concern = page.get_by_label("Your concern", exact=True)
    await expect(concern).to_have_attribute("aria-describedby", re.compile(r"\bconcern-error\b"))
    await expect(page.locator("#concern-error")).to_have_text(re.compile(r"Enter your concern"))

    await summary.get_by_role("link", name="Enter your concern").click()
    await expect(concern).to_be_focused()
    assert await receipts(hub) == []


async def test_axe_finds_no_accessibility_problem_on_any_page(
    browser: Browser, form_url: str
) -> None:
    context = await browser.new_context(bypass_csp=True)  # axe is injected as a script
    try:
        page = await context.new_page()
        await page.goto(form_url)
        found = {"form": await axe_violations(page)}
        await send(page)
        found["errors"] = await axe_violations(page)
        await fill_in_a_report(page)
        await send(page)
        found["sent"] = await axe_violations(page)
    finally:
        await context.close()

    assert found == {"form": [], "errors": [], "sent": []}


async def axe_violations(page: Page) -> list[str]:
    """What axe-core finds wrong on the page, of any impact, as "rule (impact): first element"."""
    await page.add_script_tag(path=AXE)
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html']}" for v in results["violations"]]


async def _screenshot(path: Path, executable: Path) -> None:
    """Take the docs' screenshot from a hub on the machine's broker (AMQP_URL), SQLite in /tmp."""
    env = HubEnv(os.environ["AMQP_URL"], f"sqlite+aiosqlite:///{tempfile.mkdtemp()}")
    try:
        hub = await env.start(ALL_SERVICES, ["intake"])
        async with serving(hub) as url, chromium(executable) as browser:
            page = await browser.new_page(viewport={"width": 1000, "height": 800})
            await page.goto(url)
            await page.screenshot(path=path, full_page=True)
    finally:
        await env.close()


if __name__ == "__main__":
    asyncio.run(_screenshot(Path(sys.argv[1]), installed_chromium()))
