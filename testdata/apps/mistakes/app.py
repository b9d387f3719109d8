from chalice import Chalice, Rate

app = Chalice(app_name='mistakes')


@app.route('/')
def index():
    return {'hello': 'world'}


@app.route('/users/{user_id}', methods=['GET'])
def get_user(user_id):
    return {'user': user_id}


@app.lambda_function(name='resize_image')
def resize(event, context):
    return {'resized': True}


@app.schedule(Rate(1, unit=Rate.HOURS))
def nightly_cleanup(event):
    return None
