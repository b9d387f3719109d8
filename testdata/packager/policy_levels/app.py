# Test app for a missing policy file: autogen_policy is false at the top level, so
# the API handler needs .chalice/policy-dev.json, which does not exist; the worker
# switched back to true is not the cause.
from chalice import Chalice

app = Chalice(app_name='policy_levels')


@app.route('/')
def index():
    return {'hello': 'world'}


@app.lambda_function()
def worker(event, context):
    return event
