from chalice import Chalice

app = Chalice(app_name='dupes')


@app.lambda_function()
def foo_bar(event, context):
    return 1


@app.lambda_function()
def foo__bar(event, context):
    return 2
