from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"

    def ready(self):
        from evidence import scoring
        from pit import ai

        ai.register_job(scoring.JOB, offline=scoring.score, prompt=scoring.prompt, parse=scoring.parse)
