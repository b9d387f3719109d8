import os

from chalice import Chalice

app = Chalice(app_name='env-other-stage')
ORDERS_TABLE = os.environ['ORDERS_TABLE']


@app.lambda_function()
def worker(event, context):
    return ORDERS_TABLE
