from chalice import Chalice

app = Chalice(app_name='log-retention')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def worker(event, context):
    return {}


@app.lambda_function()
def quiet(event, context):
    return {}


@app.schedule('rate(1 hour)')
def every_hour(event):
    pass
