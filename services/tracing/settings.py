"""tracing's settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.v1.common import CheckKind, LaContact
from services.tracing.rules.calendar import SchoolCalendar, parse_closures, parse_terms
from services.tracing.rules.contact import DEFAULT_REQUIRED_BEFORE_CONTACT
from services.tracing.rules.plan import DEFAULT_OFFICER_CHECKS


class TracingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CMEHUB_TRACING_", env_file=".env", extra="ignore")

    deadline_school_days: int = Field(
        10,
        ge=0,
        description="School days to trace a child before police and the Lost Pupil "
        "Database are involved.",
    )
    check_answer_school_days: int = Field(
        5, ge=1, description="School days a school or LA has to answer a check."
    )
    home_la_code: str = Field("895", pattern=r"^\d{3}$", description="This LA's code.")
    terms: str = Field(
        "",
        description="Term dates, e.g. '2026-09-03..2026-10-23, ...'; "
        "empty: every weekday that is not a bank holiday.",
    )
    closures: str = Field("", description="Other non-school days (INSET), comma separated.")
    officer_checks: tuple[CheckKind, ...] = DEFAULT_OFFICER_CHECKS
    required_before_contact: frozenset[CheckKind] = DEFAULT_REQUIRED_BEFORE_CONTACT
    contact_name: str = "Children Missing Education team"
    contact_phone: str = "01270 555 0100"
    contact_email: str = "cme@example.gov.uk"

    def la_contact(self) -> LaContact:
        return LaContact(name=self.contact_name, phone=self.contact_phone, email=self.contact_email)

    def calendar(self) -> SchoolCalendar:
        return SchoolCalendar(parse_terms(self.terms), closures=parse_closures(self.closures))
