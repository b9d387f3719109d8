from chalice import Chalice

app = Chalice(app_name='webapp')


@app.route('/')
def index():
    return {'hello': 'world'}


@app.lambda_function(name='worker')
def process(event, context):
    return {}


@app.schedule('rate(5 minutes)')
def every_five(event):
    return None
