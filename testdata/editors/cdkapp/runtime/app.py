from chalice import Chalice, Rate

app = Chalice(app_name='editors-demo')


@app.route('/')
def index():
    return {'hello': 'world'}


@app.lambda_function(name='resize_image')
def resize_image(event, context):
    return {'resized': event.get('key')}


@app.schedule(Rate(1, unit=Rate.HOURS))
def every_hour(event):
    return None
