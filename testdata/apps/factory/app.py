from chalicelib.factory import setup_app

app = setup_app()


@app.lambda_function(name='from_app_py')
def handle_direct(event, context):
    return {}
