from chalice import Chalice

from chalicelib import registry

app = registry.keep('app', Chalice(app_name='helper-decorator'))


def post(path):
    """Registers a POST view (a decorator factory around app.route)."""
    return app.route(path, methods=['POST'])


def daily():
    return app.schedule('rate(1 day)')


@post('/orders')
def create_order():
    return {}


@daily()
def cleanup(event):
    return None
