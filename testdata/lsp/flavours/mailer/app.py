from chalice import Chalice

app = Chalice(app_name='mailer')


@app.lambda_function(name='mailer')
def send(event, context):
    return {}
