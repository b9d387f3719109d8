import chalice

app = chalice.Chalice(app_name='lambdas')


@app.lambda_function()
def my_handler(event, context):
    return {'ok': True}


@app.lambda_function(name='CustomName-v2')
def renamed(event, context):
    return {}


@app.lambda_function('positional_name')
def positional(event, context):
    return {}
