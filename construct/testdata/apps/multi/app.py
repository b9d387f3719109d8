from chalice import Chalice

from greeting import greet

app = Chalice(app_name='multi')


@app.route('/')
def index():
    return {'hello': greet('world')}


@app.lambda_function(name='worker')
def do_work(event, context):
    return {'done': True}


@app.schedule('rate(1 hour)')
def every_hour(event):
    return None
