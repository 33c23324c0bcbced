from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "lapor.categories"
    label = "categories"
