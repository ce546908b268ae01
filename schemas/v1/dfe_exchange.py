"""Messages published by dfe-exchange: transfers between LAs and Lost Pupil Database uploads."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import LaCode, UtcDatetime
from schemas.v1.common import (
    LaContact,
    Reference,
    RiskIndicator,
    SchoolRef,
    ShortText,
    Text,
    TransferPupil,
)

_CASE_ID = "The CME case."


@message("dfe-exchange.transfer-sent", 1)
class TransferSent(Payload):
    """A "child moved into your area" transfer was delivered to another LA."""

    transfer_id: UUID = Field(description="The transfer, from tracing.transfer-requested.")
    case_id: UUID = Field(description=_CASE_ID)
    destination_la: LaCode = Field(description="The LA it was sent to.")
    sent_at: UtcDatetime = Field(description="When the other LA's endpoint accepted it.")


@message("dfe-exchange.transfer-received", 1)
class TransferReceived(Payload):
    """Another LA told us that a child missing education moved into our area (a referral)."""

    reference: Reference = Field(description="Our reference for the received transfer.")
    source_la: LaCode = Field(description="The LA that sent it.")
    their_reference: ShortText = Field(description="The sending LA's reference.")
    pupil: TransferPupil = Field(description="The child (CTF pupil fields).")
    last_school: SchoolRef | None = Field(default=None, description="Last known school.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns the sending LA reported."
    )
    notes: Text | None = Field(default=None, description="What the sending LA wants us to know.")
    sender_contact: LaContact = Field(description="Whom to contact at the sending LA.")
    received_at: UtcDatetime = Field(description="When the transfer was received and verified.")


@message("dfe-exchange.transfer-acknowledged", 1)
class TransferAcknowledged(Payload):
    """The receiving LA acknowledged a transfer we sent."""

    transfer_id: UUID = Field(description="The transfer, from tracing.transfer-requested.")
    case_id: UUID = Field(description=_CASE_ID)
    destination_la: LaCode = Field(description="The LA that acknowledged.")
    their_reference: ShortText | None = Field(
        default=None, description="The receiving LA's reference, if given."
    )
    acknowledged_at: UtcDatetime = Field(description="When the acknowledgement arrived.")


@message("dfe-exchange.lost-pupil-uploaded", 1)
class LostPupilUploaded(Payload):
    """A CTF for an untraced child was sent to DfE's Lost Pupil Database (via S2S)."""

    upload_id: UUID = Field(description="The upload, from tracing.lost-pupil-upload-requested.")
    case_id: UUID = Field(description=_CASE_ID)
    ctf_file_name: ShortText = Field(
        description="Name of the CTF file sent.", examples=["8952000_CTF_XXXXXXX_001.xml"]
    )
    document_qualifier: ShortText = Field(
        description="CTF header DocumentQualifier, as written in the file.", examples=["partial"]
    )
    dest_la: Literal["XXX"] = Field(
        default="XXX", description="CTF DestSchool LEA: XXX, destination unknown."
    )
    dest_estab: Literal["XXXX"] = Field(
        default="XXXX", description="CTF DestSchool Estab: XXXX, destination unknown."
    )
    uploaded_at: UtcDatetime = Field(description="When S2S accepted the file.")
