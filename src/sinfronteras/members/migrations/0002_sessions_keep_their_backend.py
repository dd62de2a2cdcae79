"""Sessions made before ``MemberBackend`` name Django's ``ModelBackend``: rewrite them to name
``MemberBackend``, so that nobody is logged out by the upgrade (Django ends a session whose
backend is not in ``AUTHENTICATION_BACKENDS``)."""

from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "sinfronteras.members.backends.MemberBackend"


def name_the_new_backend(apps, schema_editor, old=OLD, new=NEW):
    from django.conf import settings
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import caches

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    cached = (caches[settings.SESSION_CACHE_ALIAS]
              if settings.SESSION_ENGINE.endswith("cached_db") else None)
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)  # {} when unreadable: left as it is
        if data.get("_auth_user_backend") == old:
            data["_auth_user_backend"] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])
            if cached is not None:  # its copy in the cache names the old one: read it anew
                cached.delete(KEY_PREFIX + session.session_key)


def name_the_old_backend(apps, schema_editor):
    name_the_new_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_squashed_0009_collective_pickup_hours"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_the_new_backend, name_the_old_backend)]
