"""Form handling shared by the network blueprints.

Create forms carry a client-made ``uid``; edit forms carry ``version`` and a stale edit answers
409 with the form and a message; a refused form answers 422 and writes nothing. Deleting goes
through ``templates/confirm_delete.html`` and happens only on a POST with ``confirm=yes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import g, redirect, render_template, request
from flask_wtf import FlaskForm

from tracker.extensions import db
from tracker.forms import attach_errors, with_dates
from tracker.services import Invalid, Stale, today
from tracker.services import networks as network_service


def form_status(form: FlaskForm, stale: Stale | None = None) -> int:
    """409 after a stale edit, 422 for a refused form, 200 otherwise."""
    if stale is not None:
        return 409
    return 422 if (form.errors or form.form_errors) else 200


def renamed(error: Invalid, names: dict[str, str]) -> Invalid:
    """The service's field names mapped onto this form's fields."""
    return Invalid({names.get(key, key): message for key, message in error.errors.items()})


def today_field() -> dt.date:
    """Today, as a DateField wants it."""
    return with_dates({"d": today()}, "d")["d"]


@dataclass
class Submitted:
    """What became of a submitted form: ``saved`` with the service's ``value``, or not."""

    saved: bool = False
    value: Any = None
    stale: Stale | None = None

    @property
    def status(self) -> int:
        """For a refused sub-form shown on its parent page: 409 if stale, else 422."""
        return 409 if self.stale is not None else 422


def submit(
    form: FlaskForm,
    save: Callable[[], Any],
    *,
    names: dict[str, str] | None = None,
    versioned: bool = False,
    stale_message: str | None = None,
) -> Submitted:
    """Validate ``form`` and run ``save``; a refusal is rolled back and shown on the form.

    ``names`` maps the service's field names onto the form's. With ``versioned`` a stale edit
    is recorded and the form takes the current version; with ``stale_message`` a stale save
    puts that message at the top of the form. Otherwise ``Stale`` is not caught.
    """
    if not form.validate_on_submit():
        return Submitted()
    try:
        value = save()
    except Invalid as exc:
        db.session.rollback()
        attach_errors(form, renamed(exc, names) if names else exc)
        return Submitted()
    except Stale as exc:
        if versioned:
            form.version.data = exc.current["version"]
        elif stale_message is not None:
            form.form_errors.append(stale_message)
        else:
            raise
        return Submitted(stale=exc)
    return Submitted(saved=True, value=value)


def confirmed() -> bool:
    """A POST that says ``confirm=yes``: the only request that deletes."""
    return request.method == "POST" and request.form.get("confirm") == "yes"


def confirm_page(
    what: str,
    consequences: Iterable[str],
    action_url: str,
    cancel_url: str,
    *,
    network: dict[str, Any] | None = None,
    redirect_post: bool = True,
    **extra: Any,
) -> Any:
    """The shared confirmation page (GET).

    An unconfirmed POST is redirected back to ``action_url`` (``redirect_post``) or answered
    400 with the page. ``extra`` (``end_url``, ``can_end``) goes to the template as given.
    """
    if request.method == "POST" and redirect_post:
        return redirect(action_url)
    page = render_template(
        "confirm_delete.html",
        network=network if network is not None else network_service.get(g.scope.network_uid),
        scope=g.scope,
        what=what,
        consequences=list(consequences),
        action_url=action_url,
        cancel_url=cancel_url,
        **extra,
    )
    if redirect_post:
        return page
    return page, (400 if request.method == "POST" else 200)
