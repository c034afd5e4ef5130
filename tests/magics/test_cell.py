"""The %%oic cell body: headers, blank line, JSON body, variables."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from oic_magic.notebook._cell import parse_cell


def test_headers_blank_line_and_body() -> None:
    """Headers come first, then a blank line, then JSON."""
    cell = 'X-HTTP-Method-Override: PATCH\n\n{"status": "ACTIVATED"}\n'
    request = parse_cell(cell, {})
    assert request.headers == {"X-HTTP-Method-Override": "PATCH"}
    assert request.body == {"status": "ACTIVATED"}


def test_body_without_headers() -> None:
    """A cell that opens with JSON has no headers."""
    assert parse_cell('\n{"a": [1, 2]}', {}).body == {"a": [1, 2]}


def test_empty_cell_has_no_body() -> None:
    """Headers alone (or nothing) send no body."""
    request = parse_cell("Accept: application/json\n", {})
    assert not request.has_body and request.headers == {"Accept": "application/json"}


def test_variable_inside_a_string_is_escaped() -> None:
    """Quotes and backslashes in a value cannot break the JSON."""
    body = parse_cell('{"name": "{name}"}', {"name": 'say "hi" \\ bye'}).body
    assert body == {"name": 'say "hi" \\ bye'}


def test_variable_outside_a_string_is_json() -> None:
    """Numbers, lists, dicts and None go in as JSON values."""
    namespace = {"n": 3, "tags": ["a", "b"], "extra": {"k": None}, "flag": True}
    body = parse_cell('{"n": {n}, "tags": {tags}, "extra": {extra}, "f": {flag}}', namespace).body
    assert body == {"n": 3, "tags": ["a", "b"], "extra": {"k": None}, "f": True}


def test_nested_json_braces_are_not_variables() -> None:
    """``}}`` closing nested objects is left alone."""
    assert parse_cell('{"a": {"b": {"c": 1}}}', {}).body == {"a": {"b": {"c": 1}}}


def test_header_values_expand() -> None:
    """``{var}`` expands in header values too."""
    assert parse_cell("X-Id: {iid}\n", {"iid": "HELLO|01"}).headers == {"X-Id": "HELLO|01"}


def test_bad_json_names_line_and_column() -> None:
    """Invalid JSON is refused with its place in the cell."""
    with pytest.raises(UsageError, match=r"not valid JSON: .* at cell line 5, column 3"):
        parse_cell('Accept: application/json\n\n{"a": 1,\n  }', {})


def test_unknown_variable_is_named() -> None:
    """A placeholder with no variable says which one."""
    with pytest.raises(UsageError, match=r"\{missing\} names no variable"):
        parse_cell('{"a": {missing}}', {})


def test_malformed_header_line() -> None:
    """A line that is neither header nor blank is explained."""
    with pytest.raises(UsageError, match="cell line 2: expected a header"):
        parse_cell("this is not a header\n\n{}", {})


def test_header_only_cells_with_real_headers_are_kept() -> None:
    """Headers alone, each a real HTTP header, are a request without a body."""
    request = parse_cell("X-HTTP-Method-Override: PATCH\nAccept: application/json", {})
    assert request.headers == {"X-HTTP-Method-Override": "PATCH", "Accept": "application/json"}
    assert not request.has_body


def test_a_json_field_written_as_a_header_is_refused_without_its_value() -> None:
    """'status: ACTIVATED' alone was meant as the body; the message does not repeat the value."""
    with pytest.raises(UsageError, match=r"cell line 3: 'status: \.\.\.' would be sent") as caught:
        parse_cell("Accept: application/json\nstatus: ACTIVATED", {})
    assert "ACTIVATED" not in str(caught.value)


def test_a_json_field_as_a_header_is_refused_before_trailing_blank_lines() -> None:
    """A notebook cell often ends with blank lines: they are no body either."""
    with pytest.raises(UsageError, match=r"cell line 2: 'status: \.\.\.' would be sent"):
        parse_cell("status: ACTIVATED\n\n\n", {})
