"""The login form without a browser: fill values, click, read the outcome."""

from __future__ import annotations

import json

import ipywidgets as w
import pytest

from oic_magic.widgets import LoginForm, LoginValues, Outcome

SECRET = "Cl1ent-s3cret-under-test"
PASSWORD = "Pa55word-under-test"


def no_submit(values: LoginValues) -> Outcome:
    """The callback of a form that these tests never submit."""
    raise AssertionError("this form was not meant to be submitted")


def all_widgets(form: LoginForm) -> list[w.Widget]:
    """The form and every widget below it."""
    found: list[w.Widget] = []
    pending: list[w.Widget] = [form]
    while pending:
        widget = pending.pop()
        found.append(widget)
        pending.extend(getattr(widget, "children", ()))
    return found


def saved_state(form: LoginForm) -> str:
    return json.dumps([widget.get_state() for widget in all_widgets(form)], default=str)


def fill(form: LoginForm) -> None:
    for widget in all_widgets(form):
        if isinstance(widget, w.Password):
            widget.value = SECRET if widget.description == "Client secret" else PASSWORD
        elif isinstance(widget, w.Text) and not widget.value:
            widget.value = "x"


def button(form: LoginForm) -> w.Button:
    return next(
        c for c in all_widgets(form) if isinstance(c, w.Button) and c.description == "Log in"
    )


def test_fields_of_information_you_need() -> None:
    """The form asks for what Oracle's page lists, plus session and remember me."""
    labels = {getattr(c, "description", "") for c in all_widgets(LoginForm(submit=no_submit))}
    for label in (
        "URL (design-time or runtime)",
        "Identity domain host",
        "Client ID",
        "Client secret",
        "Scope or audience",
        "Integration instance",
        "User name",
        "Password",
        "Session name",
        "Remember me (keyring)",
        "Grant",
        "Log in",
    ):
        assert label in labels


def test_click_hands_the_values_to_the_callback() -> None:
    """Log in calls submit with every field, secrets included, once."""
    seen: list[LoginValues] = []

    def submit(values: LoginValues) -> Outcome:
        seen.append(values)
        return Outcome(True, "Signed in as ada.")

    form = LoginForm(submit=submit)
    fill(form)
    button(form).click()
    assert [(v.password, v.client_secret) for v in seen] == [(PASSWORD, SECRET)]
    assert form.outcome == "Signed in as ada."


@pytest.mark.parametrize("ok", [True, False], ids=["success", "failure"])
def test_secrets_are_emptied_after_every_attempt(ok: bool) -> None:
    """No widget's state holds the password or secret after a click."""
    form = LoginForm(submit=lambda v: Outcome(ok, "done"))
    fill(form)
    button(form).click()
    assert PASSWORD not in saved_state(form) and SECRET not in saved_state(form)
    assert all(c.value == "" for c in all_widgets(form) if isinstance(c, w.Password))


def test_a_raising_callback_still_empties_and_explains() -> None:
    """An unexpected error becomes the outcome text; the secrets are still emptied."""

    def boom(values: LoginValues) -> Outcome:
        raise RuntimeError("identity domain unreachable")

    form = LoginForm(submit=boom)
    fill(form)
    button(form).click()
    assert form.outcome == "Sign-in failed: identity domain unreachable"
    assert PASSWORD not in saved_state(form)


def test_prefill_never_puts_a_secret_in_a_field() -> None:
    """Known secrets show as a hint naming where they come from."""
    form = LoginForm(
        submit=no_submit,
        prefill={"instance": "oic-demo", "client_secret": SECRET},
        secret_sources={"client_secret": "OIC_CLIENT_SECRET"},
    )
    assert SECRET not in saved_state(form)
    assert "leave empty to use OIC_CLIENT_SECRET" in saved_state(form)
    assert form.values().instance == "oic-demo"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://design.integration.us-phoenix-1.ocp.oraclecloud.com", "Design-time URL"),
        ("https://inst-ax.integration.us-phoenix-1.ocp.oraclecloud.com", "Runtime URL"),
        ("http://127.0.0.1:8123", "Neither a design-time nor a runtime"),
    ],
)
def test_says_which_kind_of_url(url: str, words: str) -> None:
    """The form detects design-time or runtime as the URL is typed."""
    form = LoginForm(submit=no_submit)
    form.children[0].value = url
    assert words in form.children[1].value


def test_client_credentials_needs_no_user() -> None:
    """Choosing client_credentials disables user name and password."""
    form = LoginForm(submit=no_submit, prefill={"grant": "client_credentials"})
    users = [
        c for c in all_widgets(form) if getattr(c, "description", "") in {"User name", "Password"}
    ]
    assert users and all(c.disabled for c in users)


def test_values_repr_hides_secrets() -> None:
    """LoginValues never prints a secret."""
    text = repr(LoginValues(password=PASSWORD, client_secret=SECRET))
    assert PASSWORD not in text and SECRET not in text
