"""What reading an attachment gives: the canonical field names and the frozen result dataclasses.

The names and value shapes are the contract's (§3): a parser returns a :class:`ParsedAttachment`
and :meth:`ParsedAttachment.to_json` is exactly one line of ``intake parse --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["rfs", "gcp", "brook_tool", "exploitation_tool", "other", "unreadable"]
KINDS: tuple[Kind, ...] = ("rfs", "gcp", "brook_tool", "exploitation_tool", "other", "unreadable")

#: A field's value as it goes into JSON: str (also dates, datetimes, yes/no/unknown), bool, int.
Value = str | bool | int | None

#: Every canonical field of an RFS form, in the contract's order, with its value type.
FIELD_TYPES: dict[str, str] = {
    "referral_datetime": "datetime",
    "urgent": "bool",
    "phoned": "bool",
    "phoned_at": "datetime",
    "phoned_to": "text",
    "threshold_level": "level",
    "referrer_name": "text",
    "referrer_role": "text",
    "referrer_agency": "text",
    "referrer_phone": "phone",
    "referrer_email": "email",
    "child_forenames": "name",
    "child_surname": "name",
    "child_dob": "date",
    "child_gender": "gender",
    "child_address": "address",
    "child_postcode": "postcode",
    "parents_aware": "yes_no_unknown",
    "consent": "yes_no_unknown",
    "consent_refused_reason": "text",
    "dsl_consulted": "bool",
    "known_to_csc": "yes_no_unknown",
    "concern_narrative": "long_text",
    "gcp_attached_claimed": "bool",
}
FIELD_NAMES: tuple[str, ...] = tuple(FIELD_TYPES)

#: The contract's concern codes, in its order.
CONCERN_CODES: tuple[str, ...] = (
    "neglect",
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "domestic_abuse",
    "cse",
    "cce",
    "hsb",
    "fgm",
    "forced_marriage",
    "honour_based_abuse",
    "radicalisation",
    "missing",
    "mental_health",
    "self_harm",
    "substance_misuse",
    "online_harm",
    "trafficking",
    "other",
)

#: The keys of one entry of ``children``.
CHILD_KEYS: tuple[str, ...] = ("forenames", "surname", "dob", "gender", "address", "postcode")


@dataclass(frozen=True)
class FieldValue:
    """One field read from a form, with how sure the reader is (0 to 1)."""

    value: Value
    confidence: float
    #: The label the value was found under (for people checking a low confidence; never logged).
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        """``{"value": …, "confidence": …}`` (confidence rounded to two places)."""
        return {"value": self.value, "confidence": round(self.confidence, 2)}


@dataclass(frozen=True)
class ChildRecord:
    """One child named on a form; every key may be missing (``None``)."""

    forenames: str | None = None
    surname: str | None = None
    dob: str | None = None
    gender: str | None = None
    address: str | None = None
    postcode: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's child object."""
        return {key: getattr(self, key) for key in CHILD_KEYS}

    @property
    def empty(self) -> bool:
        """True when nothing at all was read for this child."""
        return all(getattr(self, key) is None for key in CHILD_KEYS)


@dataclass(frozen=True)
class ParsedAttachment:
    """Everything reading one attachment gives: its kind and, for a referral form, its fields."""

    file: str
    sha256: str
    kind: Kind
    #: The template id when recognised, ``unknown`` for an unrecognised form, ``None`` otherwise.
    template: str | None = None
    fields: dict[str, FieldValue] = field(default_factory=dict)
    children: tuple[ChildRecord, ...] = ()
    concerns: tuple[str, ...] = ()
    #: Short, code-like notes: ``referrer_phone: no value``, ``no text layer``, ``encrypted``.
    #: They name fields and reasons, never values, so they are safe to log.
    warnings: tuple[str, ...] = ()
    #: Pages (PDF) or an estimate (DOCX); 0 when unknown.
    pages: int = 0

    def value(self, name: str) -> Value:
        """The value of field ``name``, or ``None``."""
        found = self.fields.get(name)
        return None if found is None else found.value

    def to_json(self) -> dict[str, Any]:
        """One line of ``intake parse --json``: the contract's object, keys in its order."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "kind": self.kind,
            "template": self.template,
            "fields": {
                name: self.fields[name].to_json() for name in FIELD_NAMES if name in self.fields
            },
            "children": [child.to_json() for child in self.children],
            "concerns": list(self.concerns),
            "warnings": list(self.warnings),
        }

    @classmethod
    def unreadable(cls, file: str, sha256: str, *reasons: str) -> ParsedAttachment:
        """A file that could not be read, with the reasons (``encrypted``, ``no text layer``…)."""
        return cls(file=file, sha256=sha256, kind="unreadable", warnings=tuple(reasons))
