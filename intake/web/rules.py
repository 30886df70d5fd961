"""Mailbox rules in the web interface: list, add, edit, delete, enable, reorder and test.

The same checks as `intake rules` (:mod:`intake.mailrules.validate` and
:func:`intake.ruleadmin.check`, the mailbox server's folders included) run before anything is
saved; each problem is shown beside the field or condition row it is about. Every change is
written by the store with its audit entry, as ``web:NAME``. Testing a rule (stored, or the
form's unsaved rule) runs :func:`intake.ruleadmin.try_rules` and changes nothing.

Rules are addressed by their row id; a URL never carries a rule's name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from intake import ruleadmin
from intake.config import Settings
from intake.errors import RuleInvalid, RuleNotFound
from intake.mailrules import validate
from intake.mailrules.model import ACTIONS, FIELDS, Condition, Rule
from intake.store import admin as admin_store
from intake.store.ledger import Store
from intake.web.deps import Principal, get_settings, get_store, require
from intake.web.forms import text_of
from intake.web.templating import render

log = logging.getLogger("intake.web.rules")

router = APIRouter()

#: Blank condition rows the form offers after a rule's own conditions.
BLANK_ROWS = 5
#: The most condition rows a submitted form is read for.
MAX_ROWS = 40
#: How many stored messages a test tries by default, and at most (a page must stay quick).
DEFAULT_LAST = 50
MAX_LAST = 1000
#: The post-action kinds the form offers; keyword and move take an argument.
POST_KINDS = ("none", "flag", "keyword", "move")
#: Every operator (a condition's field decides which of them it takes), the commonest first.
OPERATORS: tuple[str, ...] = tuple(
    dict.fromkeys(("contains", *(op for ops in FIELDS.values() for op in ops)))
)
#: The list page's notices, by the code a redirect carries.
NOTICES = {
    "added": "The rule was added.",
    "saved": "The rule was saved.",
    "removed": "The rule was deleted.",
    "enabled": "The rule was enabled; it applies from the next poll.",
    "disabled": "The rule was disabled; it no longer applies from the next poll.",
    "moved": "The rule was moved.",
}
UNCHECKED = (
    "Folder names were not checked: the mailbox server could not be reached (or no IMAP "
    "mailbox is configured). Check them by hand."
)
#: How the shared validation and the store begin a problem with a rule's name.
_NAME_PROBLEMS = ("the rule has no name", "the name", "a rule with this name", "cannot rename")
_CONDITION = re.compile(r"condition (\d+): (.*)", re.DOTALL)
#: The CLI's options, as the web form names them, in the shared validation's messages.
_WEB_WORDS = (
    (" (--if FIELD OP VALUE)", ""),
    (" (--match-all)", ""),
    (" (--no-match-all)", ""),
    ("--no-server-check", 'untick "Check folder names on the mailbox server"'),
    ("(or --no-server-check", '(or untick "Check folder names on the mailbox server"'),
)


@dataclass
class Row:
    """One condition row of the form."""

    index: int
    field: str = ""
    op: str = ""
    value: str = ""
    negate: bool = False

    @property
    def blank(self) -> bool:
        return not self.field and not self.value.strip()


@dataclass
class RuleForm:
    """What the add/edit form holds (as typed), and the problems found with it."""

    name: str = ""
    enabled: bool = True
    match_all: bool = False
    stop: bool = True
    action: str = "referral"
    post_kind: str = "none"
    post_arg: str = ""
    position: str = ""
    server_check: bool = True
    rows: list[Row] = field(default_factory=list)
    last: int = DEFAULT_LAST
    show: bool = False
    show_all: bool = False
    #: Problems by where they are shown: name, action, post, conditions, position, general,
    #: row-N (N: the row's index).
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add_error(self, where: str, text: str) -> None:
        self.errors.setdefault(where, []).append(text)

    def summary(self) -> list[tuple[str, str]]:
        """(the id of the field to go to, what is wrong) for the error summary, in form order."""
        anchors = {"name": "name", "conditions": "match_all", "action": "action"}
        anchors |= {"post": "post_kind", "position": "position"}
        rows = {f"row-{row.index}": row.index for row in self.rows}
        found = []
        for key in ["name", "conditions", *rows, "action", "post", "position"]:
            for text in self.errors.get(key, []):
                if key in rows:
                    found.append((f"c{rows[key]}-value", f"condition {rows[key] + 1}: {text}"))
                else:
                    found.append((anchors[key], text))
        return found

    @property
    def post_action(self) -> str:
        argument = self.post_arg.strip()
        if self.post_kind in ("none", "flag") and not argument:
            return self.post_kind
        return f"{self.post_kind}:{argument}"

    def rule(self, *, position: int = 0) -> tuple[Rule, list[int]]:
        """The rule the form describes, and the row index of each of its conditions."""
        used = [row for row in self.rows if not row.blank]
        rule = Rule(
            name=self.name,
            conditions=tuple(
                Condition(row.field, row.op, row.value.strip(), row.negate) for row in used
            ),
            action=self.action,
            post_action=self.post_action,
            stop=self.stop,
            enabled=self.enabled,
            match_all=self.match_all,
            position=position,
        )
        return rule, [row.index for row in used]

    def place(self, problems: Sequence[str], rule: Rule, rows_of: Sequence[int]) -> None:
        """Put each problem the shared validation found beside the field it is about."""
        post = set(validate.post_action_problems(rule.post_action))
        for problem in problems:
            text = _web_text(problem)
            found = _CONDITION.match(text)
            if found and 0 < int(found.group(1)) <= len(rows_of):
                self.add_error(f"row-{rows_of[int(found.group(1)) - 1]}", found.group(2))
            elif problem in post or problem.startswith("the mailbox server has no folder"):
                self.add_error("post", text)
            elif problem.startswith("unknown action"):
                self.add_error("action", text)
            elif "match_all" in problem or problem.startswith("it has no conditions"):
                self.add_error("conditions", text)
            elif problem.startswith(_NAME_PROBLEMS):
                self.add_error("name", text)
            else:
                self.add_error("general", text)


@dataclass(frozen=True)
class TriedRow:
    """One stored message as a test shows it."""

    id: int
    received_at: dt.datetime
    outcome: str
    conditions: tuple[tuple[str, str], ...]
    does: str
    sender: str | None
    subject: str | None


@dataclass(frozen=True)
class TestResult:
    rule: Rule
    rows: tuple[TriedRow, ...]
    tried: int
    matched: int
    unknown: int
    last: int
    show: bool
    show_all: bool

    @property
    def not_matched(self) -> int:
        return self.tried - self.matched - self.unknown


# -- reading ----------------------------------------------------------------------------------


@router.get("/rules", response_class=HTMLResponse)
async def rules_list(
    request: Request,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    rules = store.rules.all()
    ids = admin_store.rule_ids(store)
    notice = NOTICES.get(request.query_params.get("done", ""))
    warnings: list[str] = []
    if request.query_params.get("warn") == "unchecked":
        warnings.append(UNCHECKED)
    flagged = _int(request.query_params.get("rule"))
    for rule in rules:
        if ids.get(rule.name) == flagged:
            warnings += [_web_text(w) for w in validate.warnings(rule)]
    return render(
        request,
        "rules/list.html",
        principal,
        rules=[(ids.get(rule.name, 0), rule) for rule in rules],
        notice=notice,
        warnings=warnings,
    )


@router.get("/rules/new", response_class=HTMLResponse)
async def rule_new(request: Request, principal: Principal = Depends(require("admin"))) -> Response:
    form = RuleForm(rows=[Row(i) for i in range(BLANK_ROWS)])
    return _form_page(request, principal, form, rule_id=None)


@router.get("/rules/{rule_id}/edit", response_class=HTMLResponse)
async def rule_edit(
    request: Request,
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    rule = _stored(store, rule_id)
    return _form_page(request, principal, _form_of(rule), rule_id=rule_id)


@router.get("/rules/{rule_id}/test", response_class=HTMLResponse)
async def rule_test(
    request: Request,
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    """What the stored rule makes of the last N stored messages; changes nothing."""
    rule = _stored(store, rule_id)
    params = request.query_params
    last = _last(params.get("last"))
    show, show_all = params.get("show") == "1", params.get("all") == "1"
    result = await run_in_threadpool(_try, store, rule, last, show, show_all)
    return render(
        request,
        "rules/test.html",
        principal,
        rule_id=rule_id,
        rule=rule,
        result=result,
        last=last,
        show=show,
        show_all=show_all,
        max_last=MAX_LAST,
    )


@router.get("/rules/{rule_id}/delete", response_class=HTMLResponse)
async def rule_delete_confirm(
    request: Request,
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    rule = _stored(store, rule_id)
    return render(request, "rules/delete.html", principal, rule_id=rule_id, rule=rule)


# -- changing ---------------------------------------------------------------------------------


@router.post("/rules/new", response_class=HTMLResponse)
async def rule_create(
    request: Request,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    form = _read_form(await request.form())
    position: int | None = None
    if form.position.strip():
        position = _int(form.position.strip())
        if position is None or position < 1:
            form.add_error(
                "position", "give a whole number, 1 or more (1 = first), or leave it empty"
            )
    if _wants_test(await request.form()):
        return await _test_form(request, principal, store, form, rule_id=None, position=0)
    rule, rows_of = form.rule()
    if form.errors:
        form.place(validate.problems(rule), rule, rows_of)
        return _form_page(request, principal, form, rule_id=None, status_code=422)
    try:
        warnings = await run_in_threadpool(
            ruleadmin.check, rule, settings, server_check=form.server_check
        )
        saved = store.rules.add(rule, actor=principal.actor, position=position)
    except RuleInvalid as err:
        form.place(err.problems, rule, rows_of)
        return _form_page(request, principal, form, rule_id=None, status_code=422)
    log.info("mailbox rule added", extra={"user_id": principal.user_pk, "position": saved.position})
    return _saved(store, saved, warnings, "added")


@router.post("/rules/{rule_id}/edit", response_class=HTMLResponse)
async def rule_update(
    request: Request,
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    current = _stored(store, rule_id)
    submitted = await request.form()
    form = _read_form(submitted)
    if _wants_test(submitted):
        return await _test_form(
            request, principal, store, form, rule_id=rule_id, position=current.position
        )
    rule, rows_of = form.rule(position=current.position)
    try:
        warnings = await run_in_threadpool(
            ruleadmin.check, rule, settings, server_check=form.server_check
        )
        saved = store.rules.update(current.name, rule, actor=principal.actor, action="edit")
    except RuleInvalid as err:
        form.place(err.problems, rule, rows_of)
        return _form_page(request, principal, form, rule_id=rule_id, status_code=422)
    except RuleNotFound:
        raise HTTPException(status_code=404, detail="No such mailbox rule.") from None
    log.info("mailbox rule edited", extra={"user_id": principal.user_pk, "rule_id": rule_id})
    return _saved(store, saved, warnings, "saved")


@router.post("/rules/{rule_id}/delete")
async def rule_delete(
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    rule = _stored(store, rule_id)
    try:
        store.rules.remove(rule.name, actor=principal.actor)
    except RuleNotFound:
        raise HTTPException(status_code=404, detail="No such mailbox rule.") from None
    log.info("mailbox rule removed", extra={"user_id": principal.user_pk, "rule_id": rule_id})
    return RedirectResponse("/rules?done=removed", status_code=303)


@router.post("/rules/{rule_id}/enable")
async def rule_enable(
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    return _switch(store, principal, rule_id, enabled=True)


@router.post("/rules/{rule_id}/disable")
async def rule_disable(
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    return _switch(store, principal, rule_id, enabled=False)


@router.post("/rules/{rule_id}/move")
async def rule_move(
    request: Request,
    rule_id: int,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
) -> Response:
    """Move a rule one place up or down (``direction`` = ``up`` or ``down``)."""
    rule = _stored(store, rule_id)
    direction = (await request.form()).get("direction")
    if direction not in ("up", "down"):
        raise HTTPException(status_code=400, detail="direction must be up or down")
    target = rule.position - 1 if direction == "up" else rule.position + 1
    if target >= 1:
        try:
            store.rules.update(
                rule.name, rule, actor=principal.actor, action="move", position=target
            )
        except RuleNotFound:
            raise HTTPException(status_code=404, detail="No such mailbox rule.") from None
    return RedirectResponse(f"/rules?done=moved&rule={rule_id}", status_code=303)


# -- helpers ----------------------------------------------------------------------------------


def _stored(store: Store, rule_id: int) -> Rule:
    name = admin_store.rule_name(store, rule_id)
    if name is None:
        raise HTTPException(status_code=404, detail="No such mailbox rule.")
    try:
        return store.rules.get(name)
    except RuleNotFound:
        raise HTTPException(status_code=404, detail="No such mailbox rule.") from None


def _switch(store: Store, principal: Principal, rule_id: int, *, enabled: bool) -> Response:
    rule = _stored(store, rule_id)
    action = "enable" if enabled else "disable"
    try:
        store.rules.update(
            rule.name,
            dataclasses.replace(rule, enabled=enabled),
            actor=principal.actor,
            action=action,
        )
    except RuleNotFound:
        raise HTTPException(status_code=404, detail="No such mailbox rule.") from None
    return RedirectResponse(f"/rules?done={action}d&rule={rule_id}", status_code=303)


def _saved(store: Store, saved: Rule, warnings: Sequence[str], done: str) -> Response:
    rule_id = admin_store.rule_ids(store).get(saved.name, 0)
    own = set(validate.warnings(saved))
    unchecked = any(warning not in own for warning in warnings)
    suffix = "&warn=unchecked" if unchecked else ""
    return RedirectResponse(f"/rules?done={done}&rule={rule_id}{suffix}", status_code=303)


def _form_page(
    request: Request,
    principal: Principal,
    form: RuleForm,
    *,
    rule_id: int | None,
    status_code: int = 200,
    result: TestResult | None = None,
) -> Response:
    return render(
        request,
        "rules/form.html",
        principal,
        status_code=status_code,
        form=form,
        rule_id=rule_id,
        fields=FIELDS,
        operators=OPERATORS,
        actions=ACTIONS,
        post_kinds=POST_KINDS,
        result=result,
        max_last=MAX_LAST,
    )


async def _test_form(
    request: Request,
    principal: Principal,
    store: Store,
    form: RuleForm,
    *,
    rule_id: int | None,
    position: int,
) -> Response:
    """The form's rule tried on stored mail, unsaved: the form comes back with the results."""
    rule, rows_of = form.rule(position=position)
    if not rule.name.strip():
        rule = dataclasses.replace(rule, name="(unsaved)")
    problems = validate.problems(rule)
    form.errors.pop("position", None)
    if problems:
        form.place(problems, rule, rows_of)
        return _form_page(request, principal, form, rule_id=rule_id, status_code=422)
    form.warnings = [_web_text(w) for w in validate.warnings(rule)]
    result = await run_in_threadpool(_try, store, rule, form.last, form.show, form.show_all)
    return _form_page(request, principal, form, rule_id=rule_id, result=result)


def _try(store: Store, rule: Rule, last: int, show: bool, show_all: bool) -> TestResult:
    tried = ruleadmin.try_rules(store, [rule], last)[rule.name]
    marks = {True: "yes", False: "no", None: "unknown"}
    rows = []
    for item in tried:
        if item.verdict is False and not show_all:
            continue
        does = ""
        if item.verdict is not False:
            does = f"would {rule.action}" + (
                f", then {rule.post_action}" if rule.post_action != "none" else ""
            )
            if item.first_match and item.first_match != rule.name:
                does += f" (but rule {item.first_match!r}, earlier, matches first)"
            if not item.body_known:
                does += "; body and To/Cc no longer stored (raw copy expired)"
        message = item.message
        reveal = show and item.verdict is not False
        rows.append(
            TriedRow(
                id=message.id,
                received_at=message.received_at,
                outcome={True: "match", False: "no match", None: "unknown"}[item.verdict],
                conditions=tuple((c.describe(), marks[r]) for c, r in item.conditions),
                does=does,
                sender=(message.sender or "-") if reveal else None,
                subject=(message.subject or "-") if reveal else None,
            )
        )
    matched = sum(1 for item in tried if item.verdict is True)
    unknown = sum(1 for item in tried if item.verdict is None)
    return TestResult(rule, tuple(rows), len(tried), matched, unknown, last, show, show_all)


def _form_of(rule: Rule) -> RuleForm:
    kind, _, argument = rule.post_action.partition(":")
    rows = [Row(i, c.field, c.op, c.value, c.negate) for i, c in enumerate(rule.conditions)]
    rows += [Row(len(rows) + i) for i in range(BLANK_ROWS)]
    return RuleForm(
        name=rule.name,
        enabled=rule.enabled,
        match_all=rule.match_all,
        stop=rule.stop,
        action=rule.action,
        post_kind=kind,
        post_arg=argument,
        rows=rows,
    )


def _read_form(data: FormData) -> RuleForm:
    def text(key: str) -> str:
        return text_of(data, key)

    def ticked(key: str) -> bool:
        return text(key) in ("1", "on", "true", "yes")

    rows = []
    for index in range(MAX_ROWS):
        if f"c{index}_field" not in data and f"c{index}_value" not in data:
            continue
        rows.append(
            Row(
                index,
                text(f"c{index}_field"),
                text(f"c{index}_op"),
                text(f"c{index}_value"),
                ticked(f"c{index}_not"),
            )
        )
    used = sum(1 for row in rows if not row.blank)
    blanks = sum(1 for row in rows if row.blank)
    start = max((row.index for row in rows), default=-1) + 1
    rows += [Row(start + i) for i in range(max(0, min(BLANK_ROWS - blanks, MAX_ROWS - used)))]
    return RuleForm(
        name=text("name"),
        enabled=ticked("enabled"),
        match_all=ticked("match_all"),
        stop=ticked("stop"),
        action=text("action"),
        post_kind=text("post_kind") or "none",
        post_arg=text("post_arg"),
        position=text("position"),
        server_check=ticked("server_check"),
        rows=rows,
        last=_last(text("last")),
        show=ticked("show"),
        show_all=ticked("all"),
    )


def _wants_test(data: FormData) -> bool:
    return data.get("do") == "test"


def _last(text: str | None) -> int:
    value = _int(text)
    if value is None:
        return DEFAULT_LAST
    return min(max(value, 1), MAX_LAST)


def _int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 9:
        return None
    return int(text.strip())


def _web_text(text: str) -> str:
    for cli, web in _WEB_WORDS:
        text = text.replace(cli, web)
    return text
