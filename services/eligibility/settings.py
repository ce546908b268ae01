"""eligibility's settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.eligibility.rules.school_age import AgeRule


class EligibilitySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CMEHUB_ELIGIBILITY_", env_file=".env", extra="ignore"
    )

    age_rule: AgeRule = Field(
        AgeRule.STATUTORY,
        description="statutory: Education Act 1996 s.8 dates; simple-band: aged 5 to 16 inclusive.",
    )
