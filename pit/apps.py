from django.apps import AppConfig


class PitConfig(AppConfig):
    name = "pit"
    verbose_name = "PIT kernel"
