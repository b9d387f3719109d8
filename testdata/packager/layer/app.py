from chalice import Chalice

app = Chalice(app_name='layered')


@app.lambda_function()
def handler(event, context):
    from helpers import shout
    return shout('hi')
