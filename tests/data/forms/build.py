"""Regenerate the golden corpus of referral forms beside this file.

    uv run python -m tests.data.forms.build          # write every case
    uv run python -m tests.data.forms.build --check  # exit 1 if a committed file differs

Each case is ``<template>/<case>.docx`` or ``.pdf`` plus ``<case>.expected.json``: what
``parsers.parse_file`` must say about it in the contract's §3 shape (``kind``, ``template``,
``fields`` as plain values, ``children``, ``concerns``). Hand-made oddities live in ``edge/``.

The expectations come from what this script put into each form, never from a parser: for the
template cases, the :class:`Referral` the form was filled from (``Referral.to_contract``, keeping
only the fields the template has a place for); for the hand-made edge cases, literal values
written next to the markup that carries them.

Everything is fictional (people from :mod:`intake.synthetic.people`) and deterministic: the same
code gives the same bytes within one environment. DOCX zips are deflated and PDFs compressed, so
a different zlib may change bytes (not content); ``--check`` is for one machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake.synthetic import forms, wordml
from intake.synthetic.people import Child, Referral
from intake.synthetic.referrals import make_referral
from intake.synthetic.templates import (
    ALL_FIELDS,
    SUFFIX,
    TEMPLATES,
    Form,
    Rendering,
    blanked,
    build_form,
    expectation,
    expected,
    plain_narrative,
    render_form,
)

HERE = Path(__file__).resolve().parent
TEMPLATES_TOML = HERE.parents[2] / "parsers" / "templates.toml"

Made = tuple[bytes, dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """One corpus file: ``<folder>/<case><suffix>`` and how to make it with its expectation."""

    name: str
    suffix: str
    make: Callable[[], Made]


def referral(seed: str, *, narrative_only: bool = False, **kwargs: Any) -> Referral:
    """A fictional referral for ``seed``; ``narrative_only`` names each concern in the narrative
    (for templates without a tick list)."""
    made = make_referral(f"forms|{seed}", **kwargs)
    return plain_narrative(made) if narrative_only else made


def form_case(
    template: str,
    case: str,
    rendering: Rendering,
    make: Callable[[], Referral],
    *,
    blank: bool = False,
    repeating: bool = False,
    folder: str = "",
) -> Case:
    """A case drawn from a template in :mod:`intake.synthetic.templates`."""

    def build() -> Made:
        filled = make()
        form: Form = build_form(template, filled)
        if blank:
            form = blanked(form)
        data = render_form(form, rendering, repeating_rows=repeating)
        return data, expected(form, filled, blank=blank)

    return Case(f"{folder or template}/{case}", SUFFIX[rendering], build)


def layout_case(layout: forms.Layout, case: str, suffix: str, make: Callable[[], Referral]) -> Case:
    """A case drawn by :mod:`intake.synthetic.forms` (the ``southend-rfs`` and ``ehfsa``
    layouts, which have a place for every contract field)."""

    def build() -> Made:
        filled = make()
        data = forms.rfs_pdf(filled, layout) if suffix == ".pdf" else forms.rfs_docx(filled, layout)
        return data, expectation(layout, filled, gcp="text" if layout == "ehfsa" else "ticks")

    return Case(f"{layout}/{case}", suffix, build)


# --- template cases -----------------------------------------------------------------------------


def template_cases() -> list[Case]:
    r = referral
    return [
        # Southend's own Request for Service and the older EHFSA (intake.synthetic.forms).
        layout_case(
            "southend-rfs",
            "neglect-two-children",
            ".docx",
            lambda: r("southend-1", concerns=("neglect",), gcp_attached_claimed=True, n_children=2),
        ),
        layout_case(
            "southend-rfs",
            "urgent-phoned",
            ".docx",
            lambda: r("southend-2", urgent=True, concerns=("physical_abuse", "domestic_abuse")),
        ),
        layout_case(
            "southend-rfs",
            "printed",
            ".pdf",
            lambda: r(
                "southend-3",
                concerns=("emotional_abuse", "mental_health"),
                missing=("referrer_phone",),
            ),
        ),
        layout_case(
            "southend-rfs",
            "no-dob-no-reason",
            ".docx",
            lambda: r(
                "southend-4",
                concerns=("sexual_abuse",),
                consent=False,
                missing=("child_dob", "consent_reason"),
                n_children=1,
            ),
        ),
        layout_case(
            "ehfsa",
            "struck-options",
            ".docx",
            lambda: r("ehfsa-1", concerns=("neglect", "substance_misuse"), n_children=2),
        ),
        layout_case(
            "ehfsa",
            "printed",
            ".pdf",
            lambda: r("ehfsa-2", urgent=True, concerns=("cce", "missing"), n_children=1),
        ),
        # Knowsley: every contract field, one block per child, tick lists.
        form_case(
            "knowsley-marf",
            "table-siblings",
            "table2",
            lambda: r(
                "knowsley-1",
                n_children=2,
                concerns=("neglect", "domestic_abuse"),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "knowsley-marf",
            "controls-urgent",
            "controls",
            lambda: r("knowsley-2", urgent=True, concerns=("physical_abuse",), n_children=1),
        ),
        form_case(
            "knowsley-marf",
            "controls-blanks",
            "controls",
            lambda: dataclasses.replace(
                r(
                    "knowsley-3",
                    concerns=("emotional_abuse", "mental_health"),
                    consent=False,
                    missing=("child_dob", "referrer_phone"),
                    n_children=1,
                ),
                dsl_consulted=None,
                dsl_name="",
                known_to_csc=None,
                known_details="",
            ),
        ),
        form_case(
            "knowsley-marf",
            "printed",
            "pdf",
            lambda: r("knowsley-4", concerns=("cse", "missing"), n_children=1),
        ),
        # Generic MASH form: one child, full name in one field, postcode inside the address.
        form_case(
            "mash-referral",
            "four-column",
            "table4",
            lambda: r("mash-1", n_children=1, concerns=("neglect",), gcp_attached_claimed=False),
        ),
        form_case(
            "mash-referral",
            "legacy-fields",
            "legacy",
            lambda: r(
                "mash-2",
                n_children=1,
                urgent=True,
                consent=False,
                concerns=("sexual_abuse",),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "mash-referral",
            "paragraphs",
            "paragraphs",
            lambda: r("mash-3", n_children=1, concerns=("hsb",), gcp_attached_claimed=False),
        ),
        form_case(
            "mash-referral",
            "four-column-honour",
            "table4",
            lambda: r(
                "mash-4",
                n_children=1,
                concerns=("forced_marriage", "honour_based_abuse"),
                gcp_attached_claimed=False,
            ),
        ),
        # 2014 inter-agency form: no tick list (concerns from the narrative), label above value.
        form_case(
            "interagency-2014",
            "stacked-siblings",
            "stacked",
            lambda: r(
                "inter-1",
                narrative_only=True,
                n_children=2,
                urgent=False,
                phoned=True,
                concerns=("neglect", "domestic_abuse"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "interagency-2014",
            "printed",
            "pdf",
            lambda: r(
                "inter-2",
                narrative_only=True,
                n_children=1,
                urgent=False,
                phoned=False,
                concerns=("physical_abuse",),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "interagency-2014",
            "fillable",
            "acroform",
            lambda: r(
                "inter-3",
                narrative_only=True,
                n_children=2,
                urgent=False,
                phoned=True,
                concerns=("emotional_abuse", "substance_misuse"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "interagency-2014",
            "stacked-self-harm",
            "stacked",
            lambda: r(
                "inter-4",
                narrative_only=True,
                n_children=1,
                urgent=False,
                phoned=False,
                concerns=("mental_health", "self_harm"),
                gcp_attached_claimed=False,
            ),
        ),
        # Lambeth IRH: tiers 3/4, vertically merged section column, nested tick table.
        form_case(
            "lambeth-irh",
            "merged-urgent",
            "merged",
            lambda: r(
                "lambeth-1",
                threshold_level=4,
                urgent=True,
                n_children=2,
                concerns=("neglect", "domestic_abuse"),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "lambeth-irh",
            "merged-tier3",
            "merged",
            lambda: r(
                "lambeth-2",
                threshold_level=3,
                urgent=False,
                n_children=1,
                concerns=("mental_health", "substance_misuse"),
            ),
        ),
        form_case(
            "lambeth-irh",
            "table",
            "table2",
            lambda: r(
                "lambeth-3",
                threshold_level=3,
                urgent=False,
                n_children=1,
                concerns=("cce", "missing"),
            ),
        ),
        form_case(
            "lambeth-irh",
            "printed",
            "pdf",
            lambda: r("lambeth-4", threshold_level=4, n_children=2, concerns=("fgm",)),
        ),
        # Calderdale: children grid, content controls and legacy form fields.
        form_case(
            "calderdale-eiss",
            "controls-three-children",
            "controls",
            lambda: r(
                "calderdale-1",
                n_children=3,
                concerns=("neglect",),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "calderdale-eiss",
            "controls-placeholders",
            "controls",
            lambda: r(
                "calderdale-2",
                n_children=1,
                concerns=("hsb",),
                missing=("child_dob",),
            ),
        ),
        form_case(
            "calderdale-eiss",
            "legacy-fields",
            "legacy",
            lambda: r(
                "calderdale-3",
                n_children=2,
                urgent=True,
                concerns=("emotional_abuse", "domestic_abuse"),
            ),
        ),
        form_case(
            "calderdale-eiss",
            "legacy-early-help",
            "legacy",
            lambda: r(
                "calderdale-4",
                threshold_level=2,
                urgent=False,
                n_children=1,
                concerns=("self_harm", "online_harm"),
            ),
        ),
        # Statutory intervention: ISO dates, the four categories of harm, fillable PDF.
        form_case(
            "statutory-intervention",
            "four-column",
            "table4",
            lambda: r(
                "statutory-1",
                threshold_level=4,
                urgent=True,
                n_children=2,
                concerns=("physical_abuse",),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "statutory-intervention",
            "fillable",
            "acroform",
            lambda: r(
                "statutory-2",
                threshold_level=4,
                n_children=1,
                concerns=("neglect", "emotional_abuse"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "statutory-intervention",
            "fillable-no-consent",
            "acroform",
            lambda: r(
                "statutory-3",
                threshold_level=3,
                urgent=False,
                n_children=1,
                consent=False,
                concerns=("sexual_abuse",),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "statutory-intervention",
            "four-column-three-children",
            "table4",
            lambda: r(
                "statutory-4",
                threshold_level=3,
                urgent=False,
                n_children=3,
                concerns=("neglect",),
                gcp_attached_claimed=False,
                missing=("referrer_phone",),
            ),
        ),
        # Enfield: struck-out Yes/No, label above value, content controls.
        form_case(
            "enfield-marf",
            "stacked-struck",
            "stacked",
            lambda: r(
                "enfield-1",
                n_children=2,
                concerns=("neglect", "substance_misuse"),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "enfield-marf",
            "controls-urgent",
            "controls",
            lambda: r(
                "enfield-2",
                urgent=True,
                n_children=1,
                concerns=("physical_abuse", "domestic_abuse"),
            ),
        ),
        form_case(
            "enfield-marf",
            "stacked-exploitation",
            "stacked",
            lambda: r(
                "enfield-3",
                n_children=1,
                concerns=("cse", "missing"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "enfield-marf",
            "controls-blanks",
            "controls",
            lambda: r(
                "enfield-4",
                n_children=2,
                concerns=("mental_health",),
                missing=("child_dob", "referrer_phone"),
            ),
        ),
        # Croydon online MARF: Label: value lines, concerns from the narrative only.
        form_case(
            "croydon-marf",
            "pasted",
            "paragraphs",
            lambda: r(
                "croydon-1",
                narrative_only=True,
                n_children=1,
                concerns=("neglect", "domestic_abuse"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "croydon-marf",
            "printed",
            "pdf-paragraphs",
            lambda: r(
                "croydon-2",
                narrative_only=True,
                n_children=1,
                urgent=True,
                concerns=("physical_abuse",),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "croydon-marf",
            "pasted-dont-know",
            "paragraphs",
            lambda: dataclasses.replace(
                r(
                    "croydon-3",
                    narrative_only=True,
                    n_children=1,
                    urgent=False,
                    concerns=("mental_health",),
                    gcp_attached_claimed=False,
                ),
                parents_aware=None,
                consent=None,
                consent_refused_reason="",
                known_to_csc=None,
                known_details="",
            ),
        ),
        form_case(
            "croydon-marf",
            "printed-exploitation",
            "pdf-paragraphs",
            lambda: r(
                "croydon-4",
                narrative_only=True,
                n_children=1,
                concerns=("cce", "missing"),
                gcp_attached_claimed=False,
            ),
        ),
        # Thurrock CAF: one child, no urgency or threshold, concerns from the narrative.
        form_case(
            "thurrock-caf",
            "legacy-fields",
            "legacy",
            lambda: r(
                "thurrock-1",
                narrative_only=True,
                n_children=1,
                urgent=False,
                concerns=("neglect",),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "thurrock-caf",
            "table",
            "table2",
            lambda: r(
                "thurrock-2",
                narrative_only=True,
                n_children=1,
                urgent=False,
                concerns=("emotional_abuse", "mental_health"),
                gcp_attached_claimed=False,
            ),
        ),
        form_case(
            "thurrock-caf",
            "printed-neglect-no-gcp",
            "pdf",
            lambda: r(
                "thurrock-3",
                narrative_only=True,
                n_children=1,
                urgent=False,
                concerns=("neglect", "substance_misuse"),
                gcp_attached_claimed=False,
            ),
        ),
        # Bromley: several children in one grid.
        form_case(
            "bromley-multi-child",
            "table-three-children",
            "table2",
            lambda: r(
                "bromley-1",
                n_children=3,
                concerns=("neglect", "emotional_abuse"),
                gcp_attached_claimed=True,
            ),
        ),
        form_case(
            "bromley-multi-child",
            "fillable-urgent",
            "acroform",
            lambda: r("bromley-2", n_children=2, urgent=True, concerns=("domestic_abuse",)),
        ),
        form_case(
            "bromley-multi-child",
            "printed",
            "pdf",
            lambda: r("bromley-3", n_children=3, concerns=("hsb",)),
        ),
        form_case(
            "bromley-multi-child",
            "fillable-four-children",
            "acroform",
            lambda: r(
                "bromley-4",
                n_children=4,
                concerns=("neglect",),
                gcp_attached_claimed=False,
            ),
        ),
    ]


# --- edge cases made from templates -------------------------------------------------------------


def _unborn_first() -> Referral:
    """An unborn baby (EDD 12/05/2027, sex unknown) and an older sibling."""
    made = referral(
        "edge-unborn",
        when=dt.datetime(2026, 11, 2, 10, 15),
        n_children=1,
        concerns=("domestic_abuse",),
        gcp_attached_claimed=False,
    )
    sibling = made.children[0]
    baby = Child(
        forenames="Unborn baby",
        surname=sibling.surname,
        dob=dt.date(2027, 5, 12),
        gender="Unknown",
        address=sibling.address,
        postcode=sibling.postcode,
        unborn=True,
    )
    return dataclasses.replace(made, children=(baby, sibling))


def _estimated_dob() -> Referral:
    """A child whose date of birth is only known to the month (``est. MM/YYYY``)."""
    made = referral(
        "edge-estimated",
        narrative_only=True,
        n_children=1,
        urgent=False,
        concerns=("neglect",),
        gcp_attached_claimed=True,
    )
    child = made.children[0]
    assert child.dob is not None
    guess = dataclasses.replace(child, dob=child.dob.replace(day=1), dob_estimated=True)
    return dataclasses.replace(made, children=(guess,))


def _surname_first() -> Referral:
    """Surname in capitals (the form writes ``SMITH, Jay``) and a postcode typed in lower case
    without its space, inside the address."""
    made = referral(
        "edge-surname", n_children=1, concerns=("physical_abuse",), gcp_attached_claimed=False
    )
    child = made.children[0]
    odd = dataclasses.replace(
        child, surname=child.surname.upper(), postcode=child.postcode.lower().replace(" ", "")
    )
    return dataclasses.replace(made, children=(odd,))


def _negated_neglect() -> Referral:
    """A narrative that rules neglect out in so many words and names emotional abuse."""
    made = referral(
        "edge-negated",
        n_children=1,
        urgent=False,
        concerns=("emotional_abuse",),
        gcp_attached_claimed=False,
    )
    name = made.children[0].forenames.split()[0]
    text = (
        f"There are no concerns about neglect. {name} is always clean, well fed and dressed for "
        f"the weather. My worry is emotional abuse. {made.concern_narrative}"
    )
    return dataclasses.replace(made, concern_narrative=text)


def edge_cases() -> list[Case]:
    return [
        form_case(
            "knowsley-marf",
            "all-placeholders",
            "controls",
            lambda: referral("edge-blank", n_children=1, concerns=("neglect",)),
            blank=True,
            folder="edge",
        ),
        form_case("knowsley-marf", "unborn-edd", "table2", _unborn_first, folder="edge"),
        form_case("thurrock-caf", "estimated-dob", "pdf", _estimated_dob, folder="edge"),
        form_case("mash-referral", "surname-first", "table4", _surname_first, folder="edge"),
        form_case("croydon-marf", "negated-neglect", "paragraphs", _negated_neglect, folder="edge"),
        form_case(
            "bromley-multi-child",
            "repeating-section",
            "controls",
            lambda: referral("edge-repeating", n_children=3, concerns=("domestic_abuse",)),
            repeating=True,
            folder="edge",
        ),
        Case("edge/legacy-overrides", ".docx", _legacy_overrides),
        Case("edge/strike-and-deleted", ".docx", _strike_and_deleted),
    ]


# --- hand-made edge cases -----------------------------------------------------------------------

_W = wordml.PAGE_WIDTH
_HALF = wordml.split_widths(_W, [38, 62])


def _fields_table(rows: Sequence[tuple[str, str]], title: str = "") -> str:
    """label|value rows (``value`` is ready-made block XML)."""
    out = [wordml.row([wordml.title_cell(title, width=_W, span=2)])] if title else []
    out += [
        wordml.row([wordml.label_cell(label, width=_HALF[0]), wordml.cell(value, width=_HALF[1])])
        for label, value in rows
    ]
    return wordml.table(out, _HALF)


def _grid(header: Sequence[str], values: Sequence[str]) -> str:
    widths = wordml.split_widths(_W, [1.0] * len(header))
    return wordml.table(
        [
            wordml.row(
                [wordml.label_cell(h, width=w) for h, w in zip(header, widths, strict=True)],
                header=True,
            ),
            wordml.row(wordml.cell(v, width=w) for v, w in zip(values, widths, strict=True)),
        ],
        widths,
    )


def _legacy_overrides() -> Made:
    """Calderdale's form as an old Word file: every answer a legacy form field, checkbox states
    kept in every way Word keeps them (``w:default`` alone; ``w:default`` overridden by
    ``w:checked``), a text field split over runs, empty text fields (five en spaces), a
    multi-line text field with line breaks."""
    made = referral("edge-legacy", n_children=1, concerns=("neglect", "domestic_abuse"))
    ref = made.referrer
    child = made.children[0]
    assert child.dob is not None
    when = dt.datetime(2026, 3, 5, 14, 40)
    names = iter(range(1, 200))

    def text(value: str | None, *, split: bool = False) -> str:
        return wordml.para(wordml.form_text(value, name=f"Text{next(names)}", split=split))

    def box(on: bool, how: wordml.CheckboxState, label: str) -> str:
        return wordml.form_checkbox(on, name=f"Check{next(names)}", how=how) + wordml.run(
            f" {label}  "
        )

    reason = "Mother could not be contacted today.\nWe will try again tomorrow morning."
    narrative = (
        f"There is neglect: {child.forenames.split()[0]} has come to school hungry and in dirty "
        "clothes most days this term.\nThere is also domestic abuse at home: police were called "
        "to an argument last week."
    )
    body = [
        wordml.para(wordml.run("Part A: The request"), style="Heading2"),
        _fields_table(
            [
                ("Date + Time of Referral", text("05.03.26 14:40", split=True)),
                (
                    "Continuum of need level",
                    wordml.para(
                        box(False, "override", "Level 1")
                        + box(False, "default", "Level 2")
                        + box(True, "checked", "Level 3")
                        + box(False, "override", "Level 4")
                    ),
                ),
                (
                    "Immediate risk of harm?",
                    wordml.para(box(False, "override", "Yes") + box(True, "override", "No")),
                ),
            ]
        ),
        wordml.para(),
        wordml.para(wordml.run("Part B: Referrer"), style="Heading2"),
        _fields_table(
            [
                ("Name of referrer", text(ref.name)),
                ("Designation", text(ref.role, split=True)),
                ("Organisation", text(ref.agency)),
                ("Contact number", text(None)),
                ("Email", text(ref.email)),
                (
                    "Discussed with your DSL / manager?",
                    wordml.para(box(True, "default", "Yes") + box(False, "default", "No")),
                ),
                (
                    "Discussed by telephone with the Duty and Consultation Team?",
                    wordml.para(box(False, "checked", "Yes") + box(True, "checked", "No")),
                ),
                ("Name of social worker", text(None)),
                ("Date + Time of call", text(None)),
            ]
        ),
        wordml.para(),
        wordml.para(wordml.run("Part C: Children"), style="Heading2"),
        _grid(
            ("Surname", "Forename(s)", "DOB / EDD", "Gender", "Address", "Postcode"),
            (
                text(child.surname),
                text(child.forenames),
                text(child.dob.strftime("%d.%m.%y")),
                text(child.gender[0]),
                text(child.address),
                text(child.postcode),
            ),
        ),
        wordml.para(),
        wordml.para(wordml.run("Part D: Consent"), style="Heading2"),
        _fields_table(
            [
                (
                    "Is the parent/carer aware of this referral?",
                    wordml.para(box(True, "checked", "Yes") + box(False, "checked", "No")),
                ),
                (
                    "Has consent been given?",
                    wordml.para(box(False, "override", "Yes") + box(True, "default", "No")),
                ),
                ("If no, explain why", text(reason)),
            ]
        ),
        wordml.para(),
        wordml.para(wordml.run("Part E: Concerns"), style="Heading2"),
        _fields_table(
            [
                (
                    "Concerns (tick all that apply)",
                    wordml.para(box(True, "override", "Neglect"))
                    + wordml.para(box(False, "override", "Physical abuse"))
                    + wordml.para(box(False, "default", "Emotional abuse"))
                    + wordml.para(box(True, "default", "Domestic abuse"))
                    + wordml.para(box(False, "checked", "Sexual abuse")),
                ),
                ("What are you worried about?", text(narrative)),
            ]
        ),
        wordml.para(),
        wordml.para(wordml.run("Part F: Previous involvement and attachments"), style="Heading2"),
        _fields_table(
            [
                (
                    "Is the family known to Children's Social Care?",
                    wordml.para(
                        box(False, "override", "Yes")
                        + box(False, "checked", "No")
                        + box(True, "checked", "Unknown")
                    ),
                ),
                (
                    "Other assessments attached",
                    wordml.para(box(False, "override", "GCP2 (Graded Care Profile)"))
                    + wordml.para(box(True, "checked", "Chronology")),
                ),
            ]
        ),
    ]
    data = wordml.compose_docx(
        title="Early Intervention and Safeguarding Statutory Referral Form",
        subtitle="Calderdale - Request for service to: EIP / DCT / MAST",
        body=body,
        author=ref.name,
        created=when,
    )
    fields: dict[str, Any] = {
        "referral_datetime": "2026-03-05T14:40",
        "urgent": False,
        "phoned": False,
        "phoned_at": None,
        "phoned_to": None,
        "threshold_level": 3,
        "referrer_name": ref.name,
        "referrer_role": ref.role,
        "referrer_agency": ref.agency,
        "referrer_phone": None,
        "referrer_email": ref.email,
        "child_forenames": child.forenames,
        "child_surname": child.surname,
        "child_dob": child.dob.isoformat(),
        "child_gender": child.gender.lower(),
        "child_address": child.address,
        "child_postcode": child.postcode,
        "parents_aware": "yes",
        "consent": "no",
        "consent_refused_reason": " ".join(reason.split()),
        "dsl_consulted": True,
        "known_to_csc": "unknown",
        "concern_narrative": " ".join(narrative.split()),
        "gcp_attached_claimed": False,
    }
    return data, _expect("calderdale-eiss", fields, [child], ["neglect", "domestic_abuse"])


def _strike_and_deleted() -> Made:
    """Enfield's form answered the old way: unchosen options struck through (one run, several
    runs, with and without spaces around the slash), or deleted so only the answer is left."""
    made = referral(
        "edge-strike",
        n_children=1,
        concerns=("physical_abuse",),
        gcp_attached_claimed=False,
        urgent=False,
    )
    ref = made.referrer
    child = made.children[0]
    assert child.dob is not None
    when = dt.datetime(2026, 3, 3, 9, 50)
    called = dt.datetime(2026, 3, 3, 9, 15)
    worker = "Priya Nair"
    r = wordml.run

    def p(content: str) -> str:
        return wordml.para(content)

    narrative = (
        f"{child.forenames.split()[0]} has a bruise to the cheek and says that mum's partner hit "
        "them with a shoe. This is physical abuse."
    )
    reason = "Telling mum's partner could put the child at more risk."
    body = [
        wordml.para(
            r(
                "Statement of use: this form is for professionals referring a child to the "
                "Enfield MASH. Strike out Yes or No as appropriate."
            )
        ),
        _fields_table(
            [
                ("Date and time of referral", p(r("03/03/2026 at 09:50"))),
                (
                    "Continuum of need level",
                    p(
                        r("Level 1 / Level 2 / ", strike=True)
                        + r("Level 3")
                        + r(" / Level 4", strike=True)
                    ),
                ),
                ("Immediate risk?", p(r("Yes", strike=True) + r(" / No"))),
            ],
            title="Referral",
        ),
        wordml.para(),
        _fields_table(
            [
                ("Name of referrer", p(r(ref.name))),
                ("Role", p(r(ref.role))),
                ("Agency", p(r(ref.agency))),
                ("Telephone number", p(r(ref.phone))),
                ("Email", p(r(ref.email))),
                ("Phoned MASH before sending?", p(r("Yes"))),
                ("Name of MASH worker", p(r(worker))),
                ("Date/time of call", p(r("03/03/2026 09:15"))),
                ("DSL consulted?", p(r("Yes/") + r("No", strike=True))),
            ],
            title="Referrer",
        ),
        wordml.para(),
        _grid(
            ("Surname", "Forename", "DOB", "Gender", "Address", "Postcode"),
            (
                p(r(child.surname)),
                p(r(child.forenames)),
                p(r(child.dob.strftime("%d/%m/%Y"))),
                p(r(child.gender)),
                p(r(child.address)),
                p(r(child.postcode)),
            ),
        ),
        wordml.para(),
        _fields_table(
            [
                ("Are the parents aware of this referral?", p(r("No"))),
                ("Has consent been obtained?", p(r("Yes", strike=True) + r(" / No"))),
                ("If no, why not?", p(r(reason))),
            ],
            title="Consent",
        ),
        wordml.para(),
        _fields_table(
            [
                (
                    "Type of concern",
                    p(
                        wordml.glyph(False)
                        + r(" Neglect   ")
                        + wordml.glyph(True)
                        + r(" Physical abuse   ")
                        + wordml.glyph(False)
                        + r(" Emotional abuse")
                    ),
                ),
                ("Nature of concern", p(r(narrative))),
                (
                    "Known to social care?",
                    p(r("Yes / No", strike=True) + r(" / Unknown")),
                ),
                ("Graded Care Profile attached?", p(r("Yes", strike=True) + r(" / ") + r("No"))),
            ],
            title="Concerns",
        ),
    ]
    data = wordml.compose_docx(
        title="Enfield Multi-Agency Referral Form",
        subtitle="Enfield MASH - Children's Social Care and Early Help",
        body=body,
        author=ref.name,
        created=when,
    )
    fields: dict[str, Any] = {
        "referral_datetime": "2026-03-03T09:50",
        "urgent": False,
        "phoned": True,
        "phoned_at": called.strftime("%Y-%m-%dT%H:%M"),
        "phoned_to": worker,
        "threshold_level": 3,
        "referrer_name": ref.name,
        "referrer_role": ref.role,
        "referrer_agency": ref.agency,
        "referrer_phone": ref.phone or None,
        "referrer_email": ref.email,
        "child_forenames": child.forenames,
        "child_surname": child.surname,
        "child_dob": child.dob.isoformat(),
        "child_gender": child.gender.lower(),
        "child_address": child.address,
        "child_postcode": child.postcode,
        "parents_aware": "no",
        "consent": "no",
        "consent_refused_reason": reason,
        "dsl_consulted": True,
        "known_to_csc": "unknown",
        "concern_narrative": narrative,
        "gcp_attached_claimed": False,
    }
    return data, _expect("enfield-marf", fields, [child], ["physical_abuse"])


def _expect(
    template: str, fields: dict[str, Any], children: Sequence[Child], concerns: list[str]
) -> dict[str, Any]:
    assert list(fields) == [name for name in ALL_FIELDS if name in fields]
    return {
        "kind": "rfs",
        "template": template,
        "fields": fields,
        "children": [child.to_contract() for child in children],
        "concerns": concerns,
    }


# --- writing ------------------------------------------------------------------------------------


def all_cases() -> list[Case]:
    """Every case of the corpus, template cases first."""
    return [*template_cases(), *edge_cases()]


def render(case: Case) -> dict[Path, bytes]:
    """The two files of ``case``: the form and its ``.expected.json``."""
    data, wanted = case.make()
    text = json.dumps(wanted, indent=2, ensure_ascii=False) + "\n"
    return {
        HERE / f"{case.name}{case.suffix}": data,
        HERE / f"{case.name}.expected.json": text.encode("utf-8"),
    }


def _normalise(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation a space, letters and digits apart,
    spaces collapsed: how a classifier compares phrases."""
    text = re.sub(r"['\u2019]", "", text.lower().replace("&", " and "))
    text = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def check_phrases() -> list[str]:
    """Problems with the template phrases: parsers/templates.toml must list the phrases of
    :data:`TEMPLATES`; each phrase must be in its own template's words, and no other template's
    words may hold all of them."""
    toml = tomllib.loads(TEMPLATES_TOML.read_text(encoding="utf-8"))
    listed = {entry["id"]: tuple(entry["all"]) for entry in toml.get("template", [])}
    problems = []
    if listed != {t.id: t.phrases for t in TEMPLATES.values()}:
        problems.append(f"{TEMPLATES_TOML} does not list the phrases of TEMPLATES")
    words: dict[str, str] = {}
    sample = make_referral("forms|phrases", n_children=1, concerns=("neglect",), threshold_level=3)
    for template in TEMPLATES.values():
        if template.build is None:
            model = forms.rfs_model(sample, template.id)  # type: ignore[arg-type]
            texts = [model.title, model.subtitle]
        else:
            texts = build_form(template.id, sample).texts()
        words[template.id] = f" {_normalise(' '.join(texts))} "
    for template in TEMPLATES.values():
        phrases = [f" {_normalise(phrase)} " for phrase in template.phrases]
        for phrase in phrases:
            if phrase not in words[template.id]:
                problems.append(f"{template.id}: {phrase.strip()!r} is not in its own text")
        for other, text in words.items():
            if other != template.id and all(phrase in text for phrase in phrases):
                problems.append(f"{template.id}: all its phrases are in {other}")
    return problems


def main(argv: Sequence[str]) -> int:
    problems = check_phrases()
    if problems:
        print("\n".join(problems))
        return 1
    check = "--check" in argv
    wanted: dict[Path, bytes] = {}
    for case in all_cases():
        wanted.update(render(case))
    existing = {p for p in HERE.glob("*/*") if p.name.endswith((".docx", ".pdf", ".expected.json"))}
    stale = sorted(existing - set(wanted))
    changed = sorted(p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data)
    if check:
        for path in [*changed, *stale]:
            print(f"out of date: {path.relative_to(HERE)}")
        return 1 if changed or stale else 0
    for path in stale:
        path.unlink()
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
    print(f"{len(wanted) // 2} cases, {len(changed)} files written, {len(stale)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
