"""``python -m oic_magic.emulator``: serve the emulator until interrupted.

Prints the three URLs, the instance name, the demo client and user, and the scope to ask
for, then serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import shlex
import ssl
import sys
import threading
from collections.abc import Sequence

from ._answers import NAMED as ANSWERS
from ._answers import parse_answers
from ._emulator import Emulator
from ._identity import DEMO


def parser() -> argparse.ArgumentParser:
    """The command line, every option explained."""
    cli = argparse.ArgumentParser(
        prog="python -m oic_magic.emulator",
        description="Serve an emulator of Oracle Integration 3 (Developer API) and its OCI IAM "
        "identity domain on 127.0.0.1, with deterministic demo data.",
        epilog='Control API: POST /_emulator/reset, /_emulator/clock {"advance": s}, '
        '/_emulator/faults {"kind": "503", "count": 1}, ... on every origin.',
    )
    cli.add_argument(
        "--seed",
        type=int,
        default=42,
        help="seed of the generated data set; the same seed gives the same data (default: 42)",
    )
    cli.add_argument(
        "--connections",
        type=int,
        default=300,
        help="number of connections; integrations, lookups, packages, projects and "
        "monitoring instances scale with it (default: 300, up to 100000)",
    )
    cli.add_argument(
        "--instances",
        type=int,
        default=None,
        help="number of monitoring instances (default: 10 per connection, at most 200000)",
    )
    cli.add_argument(
        "--instance",
        default="oic-demo",
        help="integration instance name expected in integrationInstance (default: oic-demo)",
    )
    cli.add_argument(
        "--variant",
        metavar="NAME",
        help="another instance of the same estate: the seed's data with a few differences "
        "planted (e.g. --instance oic-prod --variant prod beside a plain one as dev)",
    )
    cli.add_argument(
        "--answers",
        default=None,
        metavar="NAME|KEY=VALUE,...",
        help="answer in one of the ways the real OIC may where its answers are not "
        f"published: one of {', '.join(ANSWERS)}, or parts joined by commas: "
        "totals=exact|page|absent|high|low, has-more|no-has-more, page-cap=N, "
        "errors=oracle|rfc, fields=full|minimal (default: what was captured)",
    )
    for origin, what in (
        ("identity", "identity domain (token endpoint)"),
        ("design", "design-time host (Developer API)"),
        ("runtime", "runtime host (redirects Developer API calls)"),
        ("foreign", "foreign origin that records headers"),
    ):
        cli.add_argument(
            f"--{origin}-port",
            type=int,
            default=0,
            help=f"port of the {what}; 0 picks a free port (default: 0)",
        )
    cli.add_argument(
        "--access-token-ttl",
        type=float,
        default=3600,
        help="access token lifetime in seconds (default: 3600)",
    )
    cli.add_argument(
        "--refresh-token-ttl",
        type=float,
        default=7 * 86400,
        help="refresh token lifetime in seconds (default: 604800, seven days)",
    )
    cli.add_argument(
        "--activation-delay",
        type=float,
        default=2.0,
        help="seconds an integration activation stays ACTIVATION_INPROGRESS (default: 2)",
    )
    cli.add_argument(
        "--page-limit-max",
        type=int,
        default=100,
        help="largest limit honoured for connections, integrations, lookups, "
        "packages and projects; larger values are clamped (default: 100)",
    )
    cli.add_argument(
        "--no-monitoring-caps",
        action="store_true",
        help="lift OIC's monitoring caps (limit <= 50, offset <= 500), which are "
        "otherwise answered with 400",
    )
    cli.add_argument("--certfile", help="PEM certificate chain: serve https instead of http")
    cli.add_argument("--keyfile", help="PEM private key for --certfile")
    return cli


def _ssl_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    if not certfile:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    return context


def _banner(emu: Emulator) -> str:
    return "\n".join(
        [
            "Oracle Integration 3 emulator is serving (Ctrl-C to stop)",
            f"  identity domain : {emu.identity_url}   (token: {emu.token_url})",
            f"  design-time URL : {emu.design_url}",
            f"  runtime URL     : {emu.runtime_url}",
            f"  instance        : {emu.instance}",
            f"  client id       : {DEMO.client_id}",
            f"  client secret   : {DEMO.client_secret}",
            f"  user / password : {DEMO.username} / {DEMO.password}",
            f"  scope           : {emu.scope}",
            f"  answers         : {emu.answers}",
            "",
            "For a shell (a headless %oic_login, Settings.from_env, OICClient), paste:",
            "  export "
            + " ".join(
                f"{name}={shlex.quote(value)}"
                for name, value in (
                    ("OIC_DESIGN_URL", emu.design_url),
                    ("OIC_IDENTITY_URL", emu.identity_url),
                    ("OIC_CLIENT_ID", DEMO.client_id),
                    ("OIC_CLIENT_SECRET", DEMO.client_secret),
                    ("OIC_SCOPE", emu.scope),
                    ("OIC_INSTANCE", emu.instance),
                    ("OIC_USERNAME", DEMO.username),
                    ("OIC_PASSWORD", DEMO.password),
                )
            ),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until interrupted."""
    cli = parser()
    args = cli.parse_args(argv)
    try:
        answers = parse_answers(args.answers)
    except ValueError as error:
        cli.error(str(error))
    ports = {
        name: getattr(args, f"{name}_port") for name in ("identity", "design", "runtime", "foreign")
    }
    emulator = Emulator(
        seed=args.seed,
        connections=args.connections,
        instances=args.instances,
        instance=args.instance,
        ports=ports,
        access_token_ttl=args.access_token_ttl,
        refresh_token_ttl=args.refresh_token_ttl,
        activation_delay=args.activation_delay,
        page_limit_max=args.page_limit_max,
        monitoring_caps=not args.no_monitoring_caps,
        ssl_context=_ssl_context(args.certfile, args.keyfile),
        variant=args.variant,
        answers=answers,
    )
    with emulator:
        print(_banner(emulator), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
