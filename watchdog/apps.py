from django.apps import AppConfig


class WatchdogConfig(AppConfig):
    name = "watchdog"

    def ready(self):
        from pit import ai
        from watchdog import summary

        ai.register_job(summary.JOB, prompt=summary.prompt, parse=summary.parse)  # offline: the template itself
