from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Users, teams and local authorities"

    def ready(self) -> None:
        # Every capability is also a django-rules permission, so `user.has_perm("people.view")`
        # and `{% if perms.people.view %}` agree with `user.has_capability(...)`. Capabilities are
        # registered at import time by each app; this runs after all apps are loaded.
        from . import rules as capability_rules

        capability_rules.register_all()
