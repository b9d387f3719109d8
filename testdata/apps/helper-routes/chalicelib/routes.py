def list_orders():
    return []


def sync_orders(event, context):
    return {}


def tick(event):
    return None


def _register_jobs(chalice_app):
    chalice_app.lambda_function(name='order_sync')(sync_orders)
    chalice_app.schedule('rate(5 minutes)')(tick)


def register_routes(app):
    app.route('/orders', methods=['GET'])(list_orders)
    _register_jobs(app)
