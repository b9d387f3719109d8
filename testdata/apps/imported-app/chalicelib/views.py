from chalicelib.registry import app


@app.route('/items')
def list_items():
    return []


@app.lambda_function(name='sync-worker')
def sync(event, context):
    return {}
