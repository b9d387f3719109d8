from chalice import Chalice

app = Chalice(app_name='autogen-false')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def reporter(event, context):
    return {}


@app.lambda_function()
def auto_worker(event, context):
    return {}
