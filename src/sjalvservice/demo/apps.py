from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and `sjalvservice run`: above every other app, imported by none of them."""

    name = "sjalvservice.demo"
    label = "demo"
