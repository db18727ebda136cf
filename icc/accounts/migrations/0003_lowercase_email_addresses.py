"""Store every e-mail address in lower case without surrounding spaces (the next
migration then keeps it so).

Two accounts whose addresses differ only in letter case or spaces are one person's: the
migration then stops and names them, so that someone merges or changes them by hand
before migrating again. Nothing is changed in that case.
"""

from collections import defaultdict

from django.db import migrations


def normalise(address):
    return address.strip().lower()


def lowercase_addresses(apps, schema_editor):
    Person = apps.get_model("accounts", "Person")
    by_address = defaultdict(list)
    for pk, email in Person.objects.values_list("pk", "email").order_by("pk"):
        by_address[normalise(email)].append((pk, email))
    clashes = {address: rows for address, rows in by_address.items() if len(rows) > 1}
    if clashes:
        listed = "; ".join(
            f"{address}: " + ", ".join(f"#{pk} “{email}”" for pk, email in rows)
            for address, rows in sorted(clashes.items())
        )
        raise RuntimeError(
            "These accounts share an e-mail address that differs only in letter case or spaces, "
            f"so they cannot all keep it: {listed}. Merge them or change all but one address "
            "(for example in the admin), then run the migration again."
        )
    for address, [(pk, email)] in by_address.items():
        if email != address:
            Person.objects.filter(pk=pk).update(email=address)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_person_time_zone"),
    ]

    operations = [
        migrations.RunPython(lowercase_addresses, migrations.RunPython.noop),
    ]
