from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lapor.regions"
    label = "regions"
