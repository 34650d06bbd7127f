from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from haven.seed.generate import DEMO_PASSWORD, DEMO_USERS, demo_totp_base32


class Command(BaseCommand):
    help = "Load the demo partnership if the database is empty, then print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="small")

    def handle(self, *args, scale, **options):
        from django.conf import settings

        if not settings.HAVEN_DEMO:
            raise CommandError(
                "Synthetic data and demo users (with a published password and TOTP keys) are for demo, test "
                "and benchmark databases only: set HAVEN_DEMO=1 to use this command")
        from haven.accounts.models import LocalAuthority

        if not LocalAuthority.objects.exists():
            call_command("seed", scale=scale, stdout=self.stdout)
        self.stdout.write("\nDemo sign-ins (DEMO ONLY: synthetic data, shared password and published TOTP keys)")
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write("Add the key to an authenticator app, or get the current code with:")
        self.stdout.write("  .venv/bin/haven totp USERNAME\n")
        self.stdout.write(f"  {'username':<16} {'role':<32} {'TOTP key (base32)'}")
        for username, _first, _last, role, _team, _lea in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<32} {demo_totp_base32(username)}")
        self.stdout.write("")
