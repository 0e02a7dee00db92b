"""Run the SSBTEK simulator by hand: ``manage.py ssbtek_simulator [--port 8443] [--pki-dir var/ssbtek]``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sociala.integrations.ssbtek.pki import Identity, PkiError, ThrowawayPki, make_test_pki
from sociala.integrations.ssbtek.simulator import DEFAULT_PATH, SsbtekSimulator


def _existing_pki(directory: Path) -> ThrowawayPki | None:
    names = {
        "ca": directory / "sociala-test-ca.pem",
        "ca_key": directory / "sociala-test-ca.key",
        "server": directory / "localhost.pem",
        "server_key": directory / "localhost.key",
        "client": directory / "sociala-ssbtek-client.pem",
        "client_key": directory / "sociala-ssbtek-client.key",
    }
    if not all(path.exists() for path in names.values()):
        return None
    return ThrowawayPki(
        ca_certificate=names["ca"],
        ca_key=names["ca_key"],
        server=Identity(names["server"], names["server_key"]),
        client=Identity(names["client"], names["client_key"]),
    )


class Command(BaseCommand):
    help = (
        "Run the local SSBTEK simulator (HTTPS with client certificates, SOAP hamtaBastjanstInformation) "
        "and print the SOCIALA_SSBTEK settings that point Sociala at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8443, help="port (default 8443)")
        parser.add_argument(
            "--pki-dir",
            default=str(Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "ssbtek"),
            help="where the throw-away CA and certificates are kept (made on first run)",
        )
        parser.add_argument("--new-pki", action="store_true", help="make a new CA and certificates")

    def handle(self, *args, **options):
        directory = Path(options["pki_dir"])
        pki = None if options["new_pki"] else _existing_pki(directory)
        if pki is None:
            try:
                pki = make_test_pki(directory, days=365)
            except PkiError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Made a throw-away CA and certificates in {directory}")
        simulator = SsbtekSimulator(pki, host=options["host"], port=options["port"], path=DEFAULT_PATH)
        self.stdout.write(
            "SSBTEK simulator on "
            f"{simulator.url}\n\nStart Sociala with this environment to use it:\n\n"
            f"SOCIALA_SSBTEK_URL={simulator.url}\n"
            f"SOCIALA_SSBTEK_CLIENT_CERT={pki.client.certificate}\n"
            f"SOCIALA_SSBTEK_CLIENT_KEY={pki.client.key}\n"
            f"SOCIALA_SSBTEK_CA_BUNDLE={pki.ca_certificate}\n"
            "SOCIALA_SSBTEK_ORG_NUMBER=2120000142\n"
            "SOCIALA_SSBTEK_FK_ACTOR_ID=000-00\n"
            "\nStop with Ctrl-C."
        )
        self.stdout.flush()
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
