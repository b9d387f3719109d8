from chalice import Chalice

import orders_sdk

app = Chalice(app_name='not-installed')


@app.route('/orders')
def orders():
    return orders_sdk.list_orders()
