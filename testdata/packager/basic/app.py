from chalice import Chalice

from chalicelib import greeting

app = Chalice(app_name='basic')


@app.route('/')
def index():
    return {'hello': greeting()}


@app.lambda_function()
def worker(event, context):
    return event
