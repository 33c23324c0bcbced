from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "lapor.analytics"
    label = "analytics"
