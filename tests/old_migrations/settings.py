"""The product's settings, with each app's migrations taken from before the squash."""

from sinfronteras.web.settings import *  # noqa: F403 (the product's settings, all of them)

#: The apps whose migrations were squashed, and those whose one migration named them.
OLD = ("members", "sharing", "plans", "federation", "assembly", "sms",
       "audit", "notify", "organizing")

MIGRATION_MODULES = {app: f"old_migrations.{app}" for app in OLD}
