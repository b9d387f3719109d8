from chalice import Chalice

app = Chalice(app_name='layer')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def worker(event, context):
    return {}
