from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lapor.jobs"
    label = "jobs"
