from chalice import Chalice

app = Chalice(app_name='manage-iam-false')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def precreated(event, context):
    return {}


@app.lambda_function()
def managed_one(event, context):
    return {}
