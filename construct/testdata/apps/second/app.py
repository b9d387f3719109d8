from chalice import Chalice

app = Chalice(app_name='second')


@app.route('/second')
def second():
    return {'app': 'second'}


@app.lambda_function()
def only_in_second(event, context):
    return event
