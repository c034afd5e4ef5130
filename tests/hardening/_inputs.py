"""Generated and hand-picked inputs of the property tests: user settings and server values.

The seed lists hold every case an adversarial review found (``inf``, ``nan``, ``²``,
``retries`` over 1023, a profile file that is a folder or not UTF-8, ``Retry-After: ²``,
a wrong ``Content-Length``...) and their neighbours; the strategies add generated text
around them.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Text a user may give for a number: the review's cases and the forms float() accepts.
NUMBER_SEEDS = (
    "inf", "-inf", "nan", "NaN", "Infinity", "1e400", "-1e400", "1e-400", "²", "³",
    "١٠", "１０", "1_000", "0x10", "30s", "3 0", "+5", "-1", "0", "0.0", "-0", "1e-9",
    "0.0005", "0.001", "3600", "3600.0001", "3601", "99999999999999999999", "9" * 5000,
    "1024", "1023", "101", "100", "1.5", ".5", "5.", "1e3", "1E3", "", " ", "\t30\n",
)  # fmt: skip

#: Characters an environment on POSIX may hold beyond valid text: undecodable bytes are
#: decoded with surrogateescape (U+DC80..U+DCFF).
SURROGATE_ESCAPES = ("\udc80", "\udcff", "\udcc3")

#: Any character an environment variable can hold (no NUL: execve refuses it).
ENV_CHARACTER = st.one_of(
    st.characters(blacklist_characters="\x00"),
    st.sampled_from(SURROGATE_ESCAPES),
)

#: Text of one setting: generated, a number in every spelling, or one of the seeds.
SETTING_TEXT = st.one_of(
    st.text(ENV_CHARACTER, max_size=30),
    st.sampled_from(NUMBER_SEEDS),
    st.floats().map(repr),
    st.integers().map(str),
    st.text(st.sampled_from("0123456789.eE+-_ infa²"), max_size=12),
)

#: Values of a server's ``Retry-After``: RFC 9110 delay-seconds, HTTP dates, and garbage.
RETRY_AFTER_SEEDS = (
    "²", "¹²", "-5", "NaN", "nan", "inf", "1e9", "1.5", "0", "00", "3", "120",
    "9" * 40, "9" * 5000, "", " ", "soon",
    "Wed, 21 Oct 2015 07:28:00 GMT",  # in the past: wait 0
    "Fri, 31 Dec 9999 23:59:59 GMT",  # far future: capped
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 +9999",
    "Sun, 06 Nov 99999 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",  # RFC 850, obsolete but allowed
    "Sun Nov  6 08:49:37 1994",  # asctime
    "Sun, 32 Nov 1994 25:61:61 GMT",
)  # fmt: skip

#: Values of a server's ``Content-Length`` (the body's true length is another number).
CONTENT_LENGTH_SEEDS = (
    "²", "-1", "+5", "1e3", "0x10", " 12 ", "12, 12", "9" * 40, "9" * 5000, "", "abc",
    "0", "1", "99999999999",
)  # fmt: skip

#: What a list envelope's ``totalResults`` / ``hasMore`` / ``offset`` may wrongly be.
ENVELOPE_SEEDS: tuple[object, ...] = (
    None, True, False, 0, -1, -(10**30), 10**30, 10**18, 2**63, 1.5, 300.0,
    float("inf"), float("-inf"), float("nan"), "300", "true", "false", "", [], {}, [300],
    {"value": 300},
)  # fmt: skip

#: Any JSON value, nested a little.
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=8),
        st.sampled_from(ENVELOPE_SEEDS),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=6), children, max_size=4),
    ),
    max_leaves=12,
)

#: A list envelope's fields besides ``items``, each present or not, of any type and value.
ENVELOPE_VALUE = st.one_of(st.sampled_from(ENVELOPE_SEEDS), JSON)
ENVELOPE = st.fixed_dictionaries(
    {},
    optional={
        "totalResults": ENVELOPE_VALUE,
        "totalRecordsCount": ENVELOPE_VALUE,
        "hasMore": ENVELOPE_VALUE,
        "offset": ENVELOPE_VALUE,
        "limit": ENVELOPE_VALUE,
        "count": ENVELOPE_VALUE,
    },
)
