"""A received digest's field named for what it holds (``document`` read as identity papers)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("federation", "0002_transfer_unit"),
    ]

    operations = [
        migrations.RenameField(model_name="receiveddigest", old_name="document", new_name="signed_digest"),
    ]
