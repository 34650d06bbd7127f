from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "DEMO ONLY: print the current TOTP code of a demo user (refused when HAVEN_DEMO is off)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if not settings.HAVEN_DEMO:
            raise CommandError("haven totp is for demo deployments only (set HAVEN_DEMO=1)")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
