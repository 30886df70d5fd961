"""Reading a posted form: the body once, with room for the calls file, and a field as text."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from intake.web.deps import current_principal

#: The biggest single form field read (the calls upload's confirm step carries the file in one).
MAX_FORM_FIELD = 8 * 1024 * 1024
#: The biggest form body read at all (a 5 MB upload, or its confirm step carrying it in base64).
MAX_FORM_BODY = 8 * 1024 * 1024


async def posted_form(request: Request) -> FormData:
    """The request's form, read once (Starlette caches it) with room for the calls file.

    Declared BEFORE ``require(...)`` in a route's parameters, so it is this call that parses
    the body and the CSRF check reads the cached form. An anonymous request's body is not read
    at all (``require`` refuses it next).
    """
    if current_principal(request) is None:
        return FormData()
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "A form must say how long it is (Content-Length)")
    if int(length) > MAX_FORM_BODY:
        raise HTTPException(413, "The form is too large (a call-log file is taken up to 5 MB)")
    return await request.form(max_part_size=MAX_FORM_FIELD, max_files=2, max_fields=100)


def text_of(form: FormData, name: str) -> str:
    """The field ``name`` as text ("" when it is missing or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
