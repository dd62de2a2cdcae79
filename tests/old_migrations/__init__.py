"""The migrations of every app as they were before they were squashed (issue 21).

They are no part of the product: the squashed migrations ``replace`` them, so a database made
by them is recorded as migrated. ``tests/test_migrations.py`` makes one with them (through
``old_migrations.settings``) to show that the squashed migrations change nothing on it and
make the same schema on an empty database.
"""
