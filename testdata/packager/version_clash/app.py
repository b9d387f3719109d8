from chalice import Chalice, LambdaFunctionUrl

app = Chalice(app_name='version-clash')


@app.lambda_function()
def handler(event, context):
    return LambdaFunctionUrl
