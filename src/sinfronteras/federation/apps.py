from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "sinfronteras.federation"
    label = "federation"

    def ready(self) -> None:
        # A transfer in progress holds its need, its offer and its carrier's hours from the plans.
        from sinfronteras.plans.problem import HOLDS  # noqa: PLC0415 -- apps load before models

        from .handovers import hold  # noqa: PLC0415 -- apps load before models

        if hold not in HOLDS:
            HOLDS.append(hold)
