"""Every magic's refusal and bad argument is the cell's error output, not stderr only.

IPython shows its own ``UsageError`` on stderr and gives the kernel no error output, so a
papermill run stops with an empty message. Each magic raises the subclass of
``oic_magic.notebook._errors`` instead, whose one-line traceback is the error output.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError as IPythonUsageError

from oic_magic.emulator import Emulator
from oic_magic.notebook._errors import UsageError

from .conftest import TestingShell as Shell

BAD_LINES = [
    ("%oic_triage --by nosuch", "invalid choice"),
    ("%oic_triage --since soon", "soon"),
    ("%oic_resubmit --preview", "say which errors"),
    ("%oic_resubmit --since 24h --preview --yes", "give one of them"),
    ("%oic_discard --nosuch", "unrecognized arguments"),
    ("%oic_activity X --payload-limit 0", "positive number"),
    ("%oic_activity", "the following arguments are required"),
    ("%oic_drift", ""),
    ("%oic_drift --kinds nosuch a b", "--kinds"),
    ("%oic_export --nosuch", "required"),
    ("%oic_import default /no/such/folder", "no such folder"),
    ("%oic_sweep default --concurrency 0", "at least one"),
    ("%oic_deps --nosuch", ""),
    ("%oic_login --nosuch", "unrecognized arguments"),
    ("%oic_logout --nosuch", "unrecognized arguments"),
    ("%oic_status --nosuch", "unrecognized arguments"),
    ("%oic GET connections --limit many", "invalid int value"),
]


@pytest.mark.parametrize(("line", "words"), BAD_LINES)
def test_a_bad_line_is_an_error_output(signed_in: Shell, line: str, words: str) -> None:
    with pytest.raises(IPythonUsageError) as caught:
        signed_in.run_cell(line)
    assert type(caught.value) is UsageError, f"{line}: {type(caught.value)} goes to stderr only"
    assert words in str(caught.value)
    assert caught.value._render_traceback_() == [f"UsageError: {caught.value}"]


def test_a_headless_refusal_is_an_error_output(signed_in: Shell, emu: Emulator) -> None:
    for line in ("%oic_resubmit --since 24h", "%oic_discard --since 24h"):
        with pytest.raises(IPythonUsageError) as caught:
            signed_in.run_cell(line)
        assert type(caught.value) is UsageError
        assert "nothing was sent" in caught.value._render_traceback_()[0]
