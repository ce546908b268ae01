"""Common Transfer Files (CTF XML): read one safely, and turn its pupils into school returns.

``parse_ctf`` reads the file (see ``ctf_reader``); ``ctf_to_returns`` makes one deletion or
admission return per pupil for the school that sent it (see ``ctf_mapping``).
"""

from adapters.dfe.ctf_mapping import ctf_to_returns
from adapters.dfe.ctf_reader import parse_ctf
from adapters.dfe.ctf_records import (
    CtfAddress,
    CtfContact,
    CtfFile,
    CtfHeader,
    CtfPupil,
    CtfSchool,
)
from adapters.dfe.ctf_xml import MAX_BYTES
from adapters.schools.results import FILE_ROW, FieldError, RowResult

__all__ = [
    "FILE_ROW",
    "MAX_BYTES",
    "CtfAddress",
    "CtfContact",
    "CtfFile",
    "CtfHeader",
    "CtfPupil",
    "CtfSchool",
    "FieldError",
    "RowResult",
    "ctf_to_returns",
    "parse_ctf",
]
