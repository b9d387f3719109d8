from chalice import Chalice


def create_app(plugins):
    app = Chalice(app_name='plugins')
    for install in plugins:
        install(app)
    return app
