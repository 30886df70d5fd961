"""The /users page (admin): list accounts, add one, change a role, disable/enable, reset a password.

Every change goes through :mod:`intake.web.accounts` (so it is audited, as ``web:NAME``). An
admin cannot disable themselves or change their own role, and the last enabled admin cannot be
disabled or demoted.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from intake.errors import AccountError
from intake.store.users import ROLES, User
from intake.web import accounts
from intake.web.deps import Principal, get_store, require
from intake.web.templating import render

router = APIRouter()

#: The ``?done=`` codes the list shows after a change (Post/Redirect/Get).
DONE = {
    "added": "User added.",
    "role": "Role changed.",
    "disabled": "User disabled; their sessions have ended.",
    "enabled": "User enabled.",
    "password": "Password reset; their sessions have ended.",
}


def _page(
    request: Request,
    principal: Principal,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    return render(
        request,
        "users/list.html",
        principal,
        status_code=status_code,
        users=get_store(request).users.list(),
        roles=ROLES,
        errors=errors or {},
        values=values or {},
        done=DONE.get(done or ""),
    )


@router.get("/users")
def users_page(
    request: Request, done: str | None = None, principal: Principal = Depends(require("admin"))
) -> Response:
    return _page(request, principal, done=done)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.post("/users")
async def user_add(request: Request, principal: Principal = Depends(require("admin"))) -> Response:
    form = await _form(request)
    name = form.get("name", "").strip().lower()
    role = form.get("role", "")
    password = form.get("password", "")
    errors: dict[str, str] = {}
    problem = accounts.name_problem(name)
    if problem:
        errors["name"] = f"Name: {problem}."
    elif get_store(request).users.get(name) is not None:
        errors["name"] = "Name: taken; choose another."
    if accounts.role_problem(role):
        errors["role"] = "Role: choose admin, team or viewer."
    problem = accounts.password_problem(name, password)
    if problem:
        errors["password"] = f"Password: {problem}."
    elif password != form.get("password2", ""):
        errors["password2"] = "The two passwords differ; type the same one twice."
    if not errors:
        try:
            accounts.add_user(
                get_store(request), name=name, role=role, password=password, actor=principal.actor
            )
        except AccountError as err:
            errors[err.field] = err.problem
    if errors:
        return _page(
            request,
            principal,
            status_code=422,
            errors=errors,
            values={"name": name, "role": role},
        )
    return RedirectResponse("/users?done=added", status_code=303)


def _target(request: Request, user_id: int) -> User:
    user = get_store(request).users.by_id(user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user


@router.post("/users/{user_id}/role")
async def user_role(
    request: Request, user_id: int, principal: Principal = Depends(require("admin"))
) -> Response:
    user = _target(request, user_id)
    form = await _form(request)
    role = form.get("role", "")
    key = f"{user_id}-role"
    if user.id == principal.user_pk:
        return _page(
            request,
            principal,
            status_code=422,
            errors={key: "You cannot change your own role; ask another admin."},
        )
    try:
        accounts.set_role(get_store(request), name=user.name, role=role, actor=principal.actor)
    except AccountError as err:
        return _page(request, principal, status_code=422, errors={key: err.problem.capitalize()})
    return RedirectResponse("/users?done=role", status_code=303)


async def _set_disabled(
    request: Request, user_id: int, principal: Principal, disabled: bool
) -> Response:
    user = _target(request, user_id)
    key = f"{user_id}-state"
    if disabled and user.id == principal.user_pk:
        return _page(
            request,
            principal,
            status_code=422,
            errors={key: "You cannot disable yourself; ask another admin."},
        )
    try:
        accounts.set_disabled(
            get_store(request), name=user.name, disabled=disabled, actor=principal.actor
        )
    except AccountError as err:
        return _page(request, principal, status_code=422, errors={key: err.problem.capitalize()})
    return RedirectResponse(f"/users?done={'disabled' if disabled else 'enabled'}", status_code=303)


@router.post("/users/{user_id}/disable")
async def user_disable(
    request: Request, user_id: int, principal: Principal = Depends(require("admin"))
) -> Response:
    return await _set_disabled(request, user_id, principal, True)


@router.post("/users/{user_id}/enable")
async def user_enable(
    request: Request, user_id: int, principal: Principal = Depends(require("admin"))
) -> Response:
    return await _set_disabled(request, user_id, principal, False)


@router.post("/users/{user_id}/password")
async def user_password(
    request: Request, user_id: int, principal: Principal = Depends(require("admin"))
) -> Response:
    user = _target(request, user_id)
    form = await _form(request)
    password = form.get("password", "")
    key = f"{user_id}-password"
    problem = accounts.password_problem(user.name, password)
    if problem is None and password != form.get("password2", ""):
        problem = "the two passwords differ; type the same one twice"
    if problem is None:
        try:
            accounts.set_password(
                get_store(request), name=user.name, password=password, actor=principal.actor
            )
        except AccountError as err:
            problem = err.problem
    if problem is not None:
        return _page(request, principal, status_code=422, errors={key: f"Password: {problem}."})
    return RedirectResponse("/users?done=password", status_code=303)
