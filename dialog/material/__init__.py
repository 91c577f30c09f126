"""Shared material: the region's agenda, documentation template, invitation letter and managers'
guide with sample values, and a short text on the method; public if the region turns it on."""

__all__ = ["init_app"]


def init_app(app):
    from ..web import add_nav_item
    from .views import bp

    app.register_blueprint(bp)
    add_nav_item(app, "Material", "material.index", order=90)
