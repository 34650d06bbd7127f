import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from haven.seed.generate import SCALES, Seeder


class Command(BaseCommand):
    help = "Generate a deterministic synthetic partnership (all data synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help="the 'today' the data is generated around (default: today)")
        parser.add_argument("--force", action="store_true", help="seed even if people already exist")

    def handle(self, *args, scale, seed, as_of, force, **options):
        from django.conf import settings

        if not settings.HAVEN_DEMO:
            raise CommandError(
                "Synthetic data and demo users (with a published password and TOTP keys) are for demo, test "
                "and benchmark databases only: set HAVEN_DEMO=1 to use this command")
        from haven.people.models import Person

        if Person.objects.exists() and not force:
            raise CommandError("The database already holds people; use --force to add more, or a fresh database")
        self.stdout.write(f"Seeding scale={scale} seed={seed}")
        Seeder(scale=scale, seed=seed, as_of=as_of, out=self.stdout).run()
