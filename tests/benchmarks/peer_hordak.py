"""A peer on the same PostgreSQL: django-hordak's ``Account.transfer_to``, one transfer per
transaction (``transaction.atomic``: its legs and its balance check commit together), from one
and from several connections (threads, each with Django's own connection).

Run by ``bench_peers.py`` in an environment of its own (Django and django-hordak are no
dependency of the ledger)::

    python peer_hordak.py URL TRANSFERS CONNECTIONS...

Prints one JSON object: transfers per second for each number of connections."""

from __future__ import annotations

import json
import sys
from urllib.parse import urlparse

from together import in_threads  # beside this script


def configure(url: str) -> None:
    import django
    from django.conf import settings

    parts = urlparse(url)
    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "mptt",
            "djmoney",
            "hordak",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": parts.path.lstrip("/"),
                "USER": parts.username or "postgres",
                "PASSWORD": parts.password or "",
                "HOST": parts.hostname or "127.0.0.1",
                "PORT": str(parts.port or 5432),
            }
        },
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        HORDAK_DECIMAL_PLACES=2,
        DEFAULT_CURRENCY="EUR",
        CURRENCIES=["EUR"],
    )
    django.setup()


def main(url: str, transfers: int, connections: list[int]) -> dict[str, float]:
    configure(url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from djmoney.money import Money
    from hordak.models import Account

    call_command("migrate", verbosity=0)
    rates: dict[str, float] = {}
    for count in connections:
        source = Account.objects.create(name=f"source {count}", type="IN", currencies=["EUR"])
        targets = [
            Account.objects.create(name=f"bank {count}-{n}", type="AS", currencies=["EUR"])
            for n in range(count)
        ]
        each = max(1, transfers // count)

        def pay(
            number: int, source: Account = source, targets: list = targets, each: int = each
        ) -> None:
            for _ in range(each):
                with transaction.atomic():
                    source.transfer_to(targets[number], Money("1.00", "EUR"))
            connection.close()

        rates[str(count)] = each * count / in_threads(count, pay)
    return rates


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3:]])))
